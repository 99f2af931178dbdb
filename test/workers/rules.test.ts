import { describe, expect, it } from "vitest";
import { call, freshId, post } from "./helpers.js";

interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  context_window: number;
  per_turn_token: number;
  model: string;
}
interface Scope {
  accumulated_cost: number;
  accumulated_token_usage: Usage;
  costs: { cost: number; model: string; source: string }[];
  response_latencies: {
    latency: number;
    response_id: string;
    time_to_first_token?: number;
  }[];
  token_usages: (Usage & { response_id: string })[];
  unpriced_calls: number;
  model_name: string;
}
interface Snapshot extends Scope {
  seq: number;
  by_source: Record<string, Scope>;
  by_model: Record<string, Scope>;
}

function usage(id: string, source: string, model: string, n: number) {
  return {
    id,
    type: "add_token_usage",
    source,
    model,
    prompt_tokens: 100 * n,
    completion_tokens: 10 * n,
    cache_read_tokens: n,
    cache_write_tokens: 2 * n,
    reasoning_tokens: 3 * n,
    context_window: 1000 * (4 - n),
    response_id: `resp-${id}`,
  };
}

async function snapshot(id: string): Promise<Snapshot> {
  return (await call<Snapshot>("GET", `/v1/conversations/${id}/metrics`)).json;
}

describe("metrics rules through the API", () => {
  it("combines token usage by sum, max and latest", async () => {
    const id = freshId();
    await post(id, [
      usage("u1", "agent", "gpt-4o", 1),
      usage("u2", "condenser", "gpt-4o-mini", 2),
      usage("u3", "agent", "gpt-4o", 3),
    ]);

    const s = await snapshot(id);
    expect(s.accumulated_token_usage).toMatchObject({
      prompt_tokens: 600,
      completion_tokens: 60,
      cache_read_tokens: 6,
      cache_write_tokens: 12,
      reasoning_tokens: 18,
      context_window: 3000,
      per_turn_token: 330,
    });
    expect(s.by_source.condenser?.accumulated_token_usage).toMatchObject({
      prompt_tokens: 200,
      per_turn_token: 220,
      context_window: 2000,
    });
    expect(s.by_source.agent?.accumulated_token_usage.per_turn_token).toBe(330);
    expect(s.token_usages.map((u) => u.per_turn_token)).toEqual([
      110, 220, 330,
    ]);
  });

  it("keeps per-source and per-model records with their model names", async () => {
    const id = freshId();
    await post(id, [
      {
        id: "c1",
        type: "add_cost",
        source: "agent",
        model: "gpt-4o",
        cost: 0.1,
      },
      {
        id: "c2",
        type: "add_cost",
        source: "title_generator",
        model: "gpt-4o-mini",
        cost: 0.2,
      },
      {
        id: "c3",
        type: "add_cost",
        source: "agent",
        model: "gpt-4o-mini",
        cost: 0.3,
      },
    ]);

    const s = await snapshot(id);
    expect(s.accumulated_cost).toBe(0.6);
    expect(s.by_source.agent?.accumulated_cost).toBe(0.4);
    expect(s.by_source.agent?.model_name).toBe("gpt-4o-mini");
    expect(s.by_source.agent?.costs.map((c) => c.cost)).toEqual([0.1, 0.3]);
    expect(s.by_model["gpt-4o-mini"]?.accumulated_cost).toBe(0.5);
    expect(s.by_model["gpt-4o-mini"]?.model_name).toBe("gpt-4o-mini");
  });

  it("clamps a negative latency to zero and keeps its response id", async () => {
    const id = freshId();
    await post(id, [
      {
        id: "l1",
        type: "add_response_latency",
        source: "agent",
        model: "gpt-4o",
        latency: -3,
        response_id: "resp-1",
      },
    ]);
    const s = await snapshot(id);
    expect(s.response_latencies).toEqual([
      expect.objectContaining({ latency: 0, response_id: "resp-1" }),
    ]);
  });

  it("keeps a streamed call's time to first token", async () => {
    const id = freshId();
    await post(id, [
      {
        id: "t1",
        type: "add_response_latency",
        source: "agent",
        model: "gpt-4o",
        latency: 2.5,
        time_to_first_token: 0.4,
      },
    ]);
    const s = await snapshot(id);
    expect(s.response_latencies[0]).toMatchObject({
      latency: 2.5,
      time_to_first_token: 0.4,
    });
  });

  it("counts unpriced calls and never adds them as cost", async () => {
    const id = freshId();
    await post(id, [
      {
        id: "p1",
        type: "add_unpriced_call",
        source: "agent",
        model: "my-local-model",
      },
    ]);
    const s = await snapshot(id);
    expect(s.unpriced_calls).toBe(1);
    expect(s.by_model["my-local-model"]?.unpriced_calls).toBe(1);
    expect(s.costs).toEqual([]);
  });

  it("treats a repeated id in one batch as a duplicate", async () => {
    const id = freshId();
    const op = { id: "same", type: "add_cost", source: "agent", model: "m" };
    const res = await post(id, [
      { ...op, cost: 1 },
      { ...op, cost: 1 },
    ]);
    expect(res.json).toMatchObject({
      applied: 1,
      duplicates: 1,
      duplicate_ids: ["same"],
    });
    expect((await snapshot(id)).accumulated_cost).toBe(1);
  });

  it("applies operations in the order received", async () => {
    const id = freshId();
    await post(id, [usage("a", "agent", "m", 1)]);
    await post(id, [usage("b", "agent", "m", 2)]);
    const history = await call<{ operations: { id: string; seq: number }[] }>(
      "GET",
      `/v1/conversations/${id}/operations`,
    );
    expect(history.json.operations.map((o) => [o.id, o.seq])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    expect((await snapshot(id)).accumulated_token_usage.per_turn_token).toBe(
      220,
    );
  });
});
