import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, costOp, freshId } from "./helpers.js";

function stub(id: string) {
  return env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
}

function request(reservationId: string, usd: number | null, ttlMs = 60_000) {
  return {
    reservationId,
    source: "agent",
    model: "gpt-4o",
    nanos: usd === null ? null : Math.round(usd * 1e9),
    ttlMs,
  };
}

async function withBudget(budget: number): Promise<string> {
  const id = freshId("budget");
  await call("POST", "/v1/conversations", {
    body: { conversation_id: id, max_budget_per_task: budget },
  });
  return id;
}

describe("budget reservations", () => {
  it("refuses a call once spent plus held would pass the budget", async () => {
    const id = await withBudget(1);
    const first = await stub(id).reserve(id, request("r1", 0.6));
    expect(first.ok).toBe(true);

    const second = await stub(id).reserve(id, request("r2", 0.6));
    expect(second).toMatchObject({ ok: false, status: 402 });
    expect(second.ok || second.type).toBe("budget_exceeded");
  });

  it("lets go of the held money when the call settles", async () => {
    const id = await withBudget(1);
    await stub(id).reserve(id, request("r1", 0.6));
    const settled = await stub(id).settle(id, "r1", [costOp(0.1)]);
    expect(settled).toMatchObject({ ok: true });

    // 0.1 spent, nothing held: 0.6 fits again.
    const next = await stub(id).reserve(id, request("r2", 0.6));
    expect(next.ok).toBe(true);
  });

  it("refuses an unpriced call when a budget is set", async () => {
    const id = await withBudget(1);
    const outcome = await stub(id).reserve(id, request("r1", null));
    expect(outcome.ok || outcome.type).toBe("budget_unenforceable");
  });

  it("admits an unpriced call when no budget is set", async () => {
    const id = freshId("nobudget");
    const outcome = await stub(id).reserve(id, request("r1", null));
    expect(outcome.ok).toBe(true);
  });

  it("releases a reservation nobody settled once its alarm fires", async () => {
    const id = await withBudget(1);
    const held = await stub(id).reserve(id, request("stale", 0.9, 1));
    expect(held.ok && held.value.reserved_total).toBe(0.9);

    // The alarm runs by itself once the reservation lapses; wait for the
    // money to be free again rather than for a fixed time.
    let admitted = false;
    for (let i = 0; i < 100 && !admitted; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      admitted = (await stub(id).reserve(id, request(`r${i}`, 0.5))).ok;
    }
    expect(admitted).toBe(true);
  });
});
