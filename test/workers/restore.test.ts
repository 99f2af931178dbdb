import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, freshId, post } from "./helpers.js";

describe("restoring from storage", () => {
  it("gives an identical snapshot after the object is evicted", async () => {
    const id = freshId("restore");
    // 1,300 operations of every kind, so each list passes its 500 window.
    for (let b = 0; b < 13; b++) {
      const ops = Array.from({ length: 100 }, (_, i) => {
        const n = b * 100 + i;
        const base = {
          id: `r-${n}`,
          source: ["agent", "condenser", "draft_editor"][n % 3],
          model: ["gpt-4o", "claude-sonnet-4"][n % 2],
        };
        switch (n % 4) {
          case 0:
            return { ...base, type: "add_cost", cost: n / 1e6 };
          case 1:
            return {
              ...base,
              type: "add_response_latency",
              latency: n / 7,
              ...(n % 8 === 1 ? { time_to_first_token: n / 70 } : {}),
            };
          case 2:
            return {
              ...base,
              type: "add_token_usage",
              prompt_tokens: n * 3,
              completion_tokens: n,
              cache_read_tokens: n,
              cache_write_tokens: n % 5,
              reasoning_tokens: n % 11,
              context_window: 1000 + (n % 17),
              response_id: `resp-${n}`,
            };
          default:
            return { ...base, type: "add_unpriced_call" };
        }
      });
      expect((await post(id, ops)).status).toBe(200);
    }
    await call("PUT", `/v1/conversations/${id}/budget`, {
      body: { max_budget_per_task: 12.5 },
    });
    const before = await call("GET", `/v1/conversations/${id}/metrics`);

    await abortAllDurableObjects();

    const after = await call("GET", `/v1/conversations/${id}/metrics`);
    expect(after.status).toBe(200);
    expect(after.json).toEqual(before.json);
    expect(before.json.seq).toBe(1300);
  });

  it("keeps deduplicating ids applied before the eviction", async () => {
    const id = freshId("restore");
    const op = { id: "once", type: "add_cost", source: "agent", model: "m" };
    await post(id, [{ ...op, cost: 1 }]);

    await abortAllDurableObjects();

    const retry = await post(id, [{ ...op, cost: 1 }]);
    expect(retry.json).toMatchObject({ applied: 0, duplicates: 1 });
    const metrics = await call("GET", `/v1/conversations/${id}/metrics`);
    expect(metrics.json.accumulated_cost).toBe(1);
  });
});
