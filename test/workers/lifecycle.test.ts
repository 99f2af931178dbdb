import { describe, expect, it } from "vitest";
import { call, costOp, freshId, post } from "./helpers.js";

const base = (id: string) => `/v1/conversations/${id}`;

describe("conversation lifecycle", () => {
  it("creates a conversation under the id the body names", async () => {
    const id = freshId();
    const res = await call("POST", "/v1/conversations", {
      body: { conversation_id: id },
    });
    expect(res.status).toBe(201);
    const metrics = await call("GET", `${base(id)}/metrics`);
    expect(metrics.json).toMatchObject({ accumulated_cost: 0, seq: 0 });
  });

  it("refuses to create a conversation twice", async () => {
    const id = freshId();
    await call("POST", "/v1/conversations", { body: { conversation_id: id } });
    const again = await call<{ error: { type: string } }>(
      "POST",
      "/v1/conversations",
      { body: { conversation_id: id } },
    );
    expect(again.status).toBe(409);
    expect(again.json.error.type).toBe("conversation_exists");
  });

  it("erases everything stored for a conversation", async () => {
    const id = freshId();
    await post(id, [costOp(2)]);
    expect((await call("DELETE", base(id))).status).toBe(204);
    expect((await call("GET", `${base(id)}/metrics`)).status).toBe(404);

    // The same id starts from nothing, and old operation ids are new again.
    const op = costOp(1);
    await post(id, [op]);
    const res = await post(id, [op]);
    expect(res.json).toMatchObject({ duplicates: 1, accumulated_cost: 1 });
  });
});

describe("budget", () => {
  it("sets, raises on continue, and clears the budget", async () => {
    const id = freshId();
    await call("POST", "/v1/conversations", {
      body: { conversation_id: id, max_budget_per_task: 1 },
    });
    await post(id, [costOp(0.75), costOp(0.5)]);

    const raised = await call("POST", `${base(id)}/budget/increase`);
    expect(raised.json.max_budget_per_task).toBe(2.25);
    const metrics = await call("GET", `${base(id)}/metrics`);
    expect(metrics.json.max_budget_per_task).toBe(2.25);

    const cleared = await call("PUT", `${base(id)}/budget`, {
      body: { max_budget_per_task: null },
    });
    expect(cleared.json.max_budget_per_task).toBeNull();
  });

  it("refuses to raise a budget that was never set", async () => {
    const id = freshId();
    await post(id, [costOp(1)]);
    const res = await call<{ error: { type: string } }>(
      "POST",
      `${base(id)}/budget/increase`,
    );
    expect(res.status).toBe(409);
    expect(res.json.error.type).toBe("no_budget");
  });

  it("refuses a negative budget", async () => {
    const id = freshId();
    await post(id, [costOp(1)]);
    const res = await call("PUT", `${base(id)}/budget`, {
      body: { max_budget_per_task: -1 },
    });
    expect(res.status).toBe(422);
  });
});

describe("import of OpenHands' saved metrics", () => {
  const saved = {
    agent: {
      accumulated_cost: 1.5,
      max_budget_per_task: 10,
      accumulated_token_usage: {
        model: "gpt-4o",
        prompt_tokens: 3000,
        completion_tokens: 300,
        cache_read_tokens: 100,
        cache_write_tokens: 0,
        context_window: 128000,
        per_turn_token: 1100,
        response_id: "",
      },
      // Truncated lists: the totals hold more than the entries.
      costs: [{ model: "gpt-4o", cost: 0.5, timestamp: 1700000000 }],
      response_latencies: [
        { model: "gpt-4o", latency: 1.25, response_id: "r2" },
      ],
      token_usages: [
        {
          model: "gpt-4o",
          prompt_tokens: 1000,
          completion_tokens: 100,
          cache_read_tokens: 50,
          cache_write_tokens: 0,
          context_window: 128000,
          per_turn_token: 1100,
          response_id: "r2",
        },
      ],
    },
    condenser: {
      accumulated_cost: 0.25,
      max_budget_per_task: null,
      costs: [{ model: "gpt-4o-mini", cost: 0.25, timestamp: 1700000001 }],
    },
  };

  it("keeps the saved totals exactly, per service", async () => {
    const id = freshId();
    const res = await call("PUT", `${base(id)}/import`, { body: saved });
    expect(res.status).toBe(200);

    const m = await call<{
      accumulated_cost: number;
      max_budget_per_task: number;
      accumulated_token_usage: Record<string, number>;
      by_source: Record<string, { accumulated_cost: number }>;
    }>("GET", `${base(id)}/metrics`);
    expect(m.json.accumulated_cost).toBe(1.75);
    expect(m.json.max_budget_per_task).toBe(10);
    expect(m.json.by_source.agent?.accumulated_cost).toBe(1.5);
    expect(m.json.by_source.condenser?.accumulated_cost).toBe(0.25);
    expect(m.json.accumulated_token_usage).toMatchObject({
      prompt_tokens: 3000,
      completion_tokens: 300,
      cache_read_tokens: 100,
      context_window: 128000,
      per_turn_token: 1100,
    });
  });

  it("refuses to import into a conversation that has operations", async () => {
    const id = freshId();
    await post(id, [costOp(1)]);
    const res = await call<{ error: { type: string } }>(
      "PUT",
      `${base(id)}/import`,
      { body: saved },
    );
    expect(res.status).toBe(409);
    expect(res.json.error.type).toBe("conversation_not_empty");
  });

  it("refuses saved metrics whose lists exceed their totals", async () => {
    const id = freshId();
    const res = await call<{ error: { type: string } }>(
      "PUT",
      `${base(id)}/import`,
      { body: { agent: { ...saved.agent, accumulated_cost: 0.1 } } },
    );
    expect(res.status).toBe(422);
    expect(res.json.error.type).toBe("inconsistent_import");
    expect((await call("GET", `${base(id)}/metrics`)).status).toBe(404);
  });
});
