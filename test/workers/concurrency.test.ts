import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, freshId, post } from "./helpers.js";

/** A deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("concurrent writers", () => {
  it("keeps exact totals when many clients post and retry at once", async () => {
    const id = freshId("busy");
    const next = random(7);
    const sources = ["agent", "condenser", "draft_editor", "title_generator"];

    // 5,000 operations in 250 batches of 20, costs with up to 9 decimals.
    const batches = Array.from({ length: 250 }, (_, b) =>
      Array.from({ length: 20 }, (_, i) => ({
        id: `op-${b}-${i}`,
        type: "add_cost",
        source: sources[(b + i) % sources.length],
        model: "gpt-4o",
        cost: Math.floor(next() * 1e7) / 1e9,
      })),
    );
    let expectedNanos = 0;
    for (const op of batches.flat()) expectedNanos += Math.round(op.cost * 1e9);

    // Every batch once, and a third of them again as retries, from 25
    // clients at once in a shuffled order.
    const sends = [...batches, ...batches.filter((_, b) => b % 3 === 0)];
    sends.sort(() => next() - 0.5);
    const replies: { applied: number; duplicates: number }[] = [];
    const clients = Array.from({ length: 25 }, async () => {
      for (let batch = sends.pop(); batch; batch = sends.pop()) {
        const res = await post(id, batch);
        expect(res.status).toBe(200);
        replies.push(res.json as { applied: number; duplicates: number });
      }
    });
    await Promise.all(clients);

    const applied = replies.reduce((sum, r) => sum + r.applied, 0);
    const duplicates = replies.reduce((sum, r) => sum + r.duplicates, 0);
    expect(applied).toBe(5000);
    expect(duplicates).toBe(84 * 20);

    const metrics = await call<{
      accumulated_cost: number;
      seq: number;
      by_source: Record<string, { accumulated_cost: number }>;
    }>("GET", `/v1/conversations/${id}/metrics`);
    expect(metrics.json.accumulated_cost).toBe(expectedNanos / 1e9);
    expect(metrics.json.seq).toBe(5000);
    const bySource = Object.values(metrics.json.by_source).reduce(
      (sum, s) => sum + Math.round(s.accumulated_cost * 1e9),
      0,
    );
    expect(bySource).toBe(expectedNanos);
  });

  it("sums a million costs of 0.000001 USD to exactly 1", async () => {
    const id = freshId("million");
    const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));

    // Through the object's RPC method: the HTTP path is covered above and a
    // thousand HTTP requests would only slow this test down.
    for (let b = 0; b < 1000; b++) {
      const ops = Array.from({ length: 1000 }, (_, i) => ({
        id: `m-${b}-${i}`,
        type: "add_cost" as const,
        source: i % 2 ? "agent" : "condenser",
        model: "gpt-4o-mini",
        cost: 0.000001,
      }));
      const outcome = await stub.apply(id, ops);
      expect(outcome.ok).toBe(true);
    }

    const metrics = await call<{
      accumulated_cost: number;
      by_source: Record<string, { accumulated_cost: number }>;
      by_model: Record<string, { accumulated_cost: number }>;
    }>("GET", `/v1/conversations/${id}/metrics`);
    expect(metrics.json.accumulated_cost).toBe(1);
    expect(metrics.json.by_model["gpt-4o-mini"]?.accumulated_cost).toBe(1);
    expect(metrics.json.by_source.agent?.accumulated_cost).toBe(0.5);
    expect(metrics.json.by_source.condenser?.accumulated_cost).toBe(0.5);
  }, 120_000);
});
