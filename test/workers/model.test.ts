import { describe, expect, it } from "vitest";
import { Metrics, NegativeCostError } from "../../src/metrics/index.js";

function usage(prompt: number, completion: number, extra = {}) {
  return { prompt_tokens: prompt, completion_tokens: completion, ...extra };
}

describe("Metrics (OpenHands rules)", () => {
  it("refuses a negative cost with OpenHands' sentence", () => {
    const metrics = new Metrics("gpt-4o");
    expect(() => metrics.addCost(-0.01)).toThrow(NegativeCostError);
    expect(() => metrics.addCost(-0.01)).toThrow(
      "Added cost cannot be negative.",
    );
    expect(metrics.get().costs).toHaveLength(0);
  });

  it("clamps a negative latency to zero", () => {
    const metrics = new Metrics("gpt-4o");
    metrics.addResponseLatency(-2, "r1");
    expect(metrics.get().response_latencies[0]?.latency).toBe(0);
  });

  it("sums counters, keeps the largest window, takes the latest turn", () => {
    const metrics = new Metrics("gpt-4o");
    metrics.addTokenUsage(
      usage(100, 10, {
        cache_read_tokens: 5,
        cache_write_tokens: 7,
        reasoning_tokens: 3,
        context_window: 8000,
        response_id: "a",
      }),
    );
    metrics.addTokenUsage(
      usage(50, 20, { cache_read_tokens: 1, context_window: 4000 }),
    );

    expect(metrics.get().accumulated_token_usage).toEqual({
      model: "gpt-4o",
      prompt_tokens: 150,
      completion_tokens: 30,
      cache_read_tokens: 6,
      cache_write_tokens: 7,
      reasoning_tokens: 3,
      context_window: 8000,
      per_turn_token: 70,
      response_id: "",
    });
    expect(metrics.get().token_usages[0]?.per_turn_token).toBe(110);
  });

  it("keeps a million costs of 0.000001 USD exact", () => {
    const metrics = new Metrics("gpt-4o");
    for (let i = 0; i < 1_000_000; i++) metrics.addCost(0.000001);
    expect(metrics.accumulatedCost).toBe(1);
  });

  it("merges costs, lists and usage, keeping a set budget", () => {
    const a = new Metrics("a");
    a.addCost(0.1);
    a.addTokenUsage(usage(10, 1, { context_window: 100 }));
    const b = new Metrics("b");
    b.maxBudgetPerTask = 5;
    b.addCost(0.2);
    b.addTokenUsage(usage(20, 2, { context_window: 50 }));

    a.merge(b);
    const merged = a.get();
    expect(merged.accumulated_cost).toBe(0.3);
    expect(merged.max_budget_per_task).toBe(5);
    expect(merged.costs.map((c) => c.model)).toEqual(["a", "b"]);
    expect(merged.accumulated_token_usage.prompt_tokens).toBe(30);
    expect(merged.accumulated_token_usage.context_window).toBe(100);
    expect(merged.accumulated_token_usage.per_turn_token).toBe(22);
  });

  it("diffs against a baseline: only what came after", () => {
    const metrics = new Metrics("gpt-4o");
    metrics.addCost(0.5);
    metrics.addTokenUsage(usage(100, 10, { context_window: 1000 }));
    const baseline = metrics.copy();
    metrics.addCost(0.25);
    metrics.addResponseLatency(1.5, "r2");
    metrics.addTokenUsage(usage(40, 4, { context_window: 900 }));

    const diff = metrics.diff(baseline).get();
    expect(diff.accumulated_cost).toBe(0.25);
    expect(diff.costs.map((c) => c.cost)).toEqual([0.25]);
    expect(diff.response_latencies).toHaveLength(1);
    expect(diff.token_usages.map((u) => u.prompt_tokens)).toEqual([40]);
    expect(diff.accumulated_token_usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 4,
      context_window: 1000,
      per_turn_token: 0,
    });
  });

  it("returns only the newest 500 entries while totals stay exact", () => {
    const metrics = new Metrics("gpt-4o");
    for (let i = 1; i <= 1200; i++) metrics.addCost(0.001);
    const snapshot = metrics.get();
    expect(snapshot.costs).toHaveLength(500);
    expect(snapshot.accumulated_cost).toBe(1.2);
  });

  it("serialises in the shape of Metrics.get()", () => {
    const metrics = new Metrics("gpt-4o");
    metrics.addCost(0.01);
    expect(Object.keys(metrics.get()).sort()).toEqual([
      "accumulated_cost",
      "accumulated_token_usage",
      "costs",
      "max_budget_per_task",
      "model_name",
      "response_latencies",
      "token_usages",
    ]);
  });
});
