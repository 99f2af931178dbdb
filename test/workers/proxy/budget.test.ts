import { describe, expect, it } from "vitest";
import { recordedRequests } from "../llm/fake.js";
import { call, freshId } from "../helpers.js";
import { freshTag, metricsOf, openAiBody, send } from "./support.js";

async function withBudget(usd: number): Promise<string> {
  const id = freshId("bud");
  await call("POST", "/v1/conversations", {
    body: { conversation_id: id, max_budget_per_task: usd },
  });
  return id;
}

function nanos(usd: string | null): number {
  return Math.round(Number(usd) * 1e9);
}

describe("budgets on proxied calls", () => {
  it("keeps fifty concurrent calls within the budget and their holds", async () => {
    const budgetUsd = 0.005;
    const id = await withBudget(budgetUsd);
    const tag = freshTag();
    // Each call costs 0.000625 USD (50 + 50 tokens of gpt-4o) and holds
    // its worst case, about 0.0014 USD; fifty of them want far more than
    // the budget.
    const body = openAiBody(`prompt=50 completion=50 tag=${tag}`, {
      max_tokens: 100,
    });

    const replies = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const { response } = await send(id, "chat/completions", body);
        const json = await response.json<{ error?: { type: string } }>();
        return { status: response.status, headers: response.headers, json };
      }),
    );

    const admitted = replies.filter((r) => r.status === 200);
    const refused = replies.filter((r) => r.status === 402);
    expect(admitted.length + refused.length).toBe(50);
    expect(admitted.length).toBeGreaterThan(0);
    expect(refused.length).toBeGreaterThan(0);
    for (const reply of refused) {
      expect(reply.json.error?.type).toBe("budget_exceeded");
    }

    // The most the budget can be passed by: what admitted calls cost
    // beyond what they held (zero when every estimate held).
    let overshootBound = 0;
    let spentByReplies = 0;
    for (const { headers } of admitted) {
      const cost = nanos(headers.get("x-metrics-call-cost"));
      const held = nanos(headers.get("x-metrics-call-reserved"));
      overshootBound += Math.max(0, cost - held);
      spentByReplies += cost;
    }
    const spent = nanos(String((await metricsOf(id)).accumulated_cost));
    expect(spent).toBe(spentByReplies);
    expect(spent).toBeLessThanOrEqual(
      nanos(String(budgetUsd)) + overshootBound,
    );
    expect(overshootBound).toBe(0);
  });

  it("never sends a refused call to the upstream", async () => {
    const id = await withBudget(0.005);
    const tag = freshTag();
    const body = openAiBody(`prompt=50 completion=50 tag=${tag}`, {
      max_tokens: 100,
    });

    const statuses = await Promise.all(
      Array.from({ length: 50 }, async () => {
        const { response } = await send(id, "chat/completions", body);
        await response.text();
        return response.status;
      }),
    );

    const admitted = statuses.filter((status) => status === 200).length;
    expect(admitted).toBeLessThan(50);
    expect(await recordedRequests(tag)).toHaveLength(admitted);
  });

  it("refuses with the object's 402 body when the budget is spent", async () => {
    const id = await withBudget(0.000001);
    const tag = freshTag();
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody(`tag=${tag}`),
    );

    const body = await response.json<{ error: { message: string } }>();
    expect(response.status).toBe(402);
    expect(body).toMatchObject({ error: { type: "budget_exceeded" } });
    expect(body.error.message).toContain("Raise the budget");
    expect(await recordedRequests(tag)).toEqual([]);
  });

  it("refuses a model with no known price when a budget is set", async () => {
    const id = await withBudget(10);
    const tag = freshTag();
    const { response } = await send(id, "chat/completions", {
      ...openAiBody(`tag=${tag}`),
      model: "my-private-model",
    });

    expect(response.status).toBe(402);
    expect(await response.json()).toMatchObject({
      error: { type: "budget_unenforceable" },
    });
    expect(await recordedRequests(tag)).toEqual([]);
  });
});
