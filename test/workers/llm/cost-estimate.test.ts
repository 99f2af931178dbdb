import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_OUTPUT_TOKENS,
  estimateWorstCaseCostNanos,
  requestedMaxOutputTokens,
} from "../../../src/llm/cost-estimate.js";
import { parseUpstreamJson } from "../../../src/llm/json-fields.js";
import { openAiUsageFromBody } from "../../../src/llm/openai-usage.js";
import {
  NO_PRICE_OVERRIDES,
  parsePriceOverrides,
} from "../../../src/llm/price-overrides.js";
import { priceCall } from "../../../src/llm/pricing.js";
import { simulatedUpstream } from "../../../src/llm/simulated/simulated-upstream.js";

const openai = { overrides: NO_PRICE_OVERRIDES, providerId: "openai" };

describe("estimateWorstCaseCostNanos", () => {
  it("prices the body's bytes as input and the output limit as output", () => {
    const nanos = estimateWorstCaseCostNanos(
      { model: "gpt-4o", bodyBytes: 2000, maxOutputTokens: 500 },
      openai,
    );

    // 2000 * $2.50 + 500 * $10 per million = 10000 per million.
    expect(nanos).toBe(10_000_000);
  });

  it("charges the prompt at the cache-write rate when that is dearer", () => {
    const nanos = estimateWorstCaseCostNanos(
      {
        model: "claude-sonnet-4-20250514",
        bodyBytes: 2000,
        maxOutputTokens: 500,
      },
      { overrides: NO_PRICE_OVERRIDES, providerId: "anthropic" },
    );

    // 2000 * $3.75 (cache write) + 500 * $15 = 15000 per million.
    expect(nanos).toBe(15_000_000);
  });

  it("assumes the default output limit when the request sets none", () => {
    const nanos = estimateWorstCaseCostNanos(
      { model: "gpt-4o", bodyBytes: 1000 },
      openai,
    );

    expect(DEFAULT_MAX_OUTPUT_TOKENS).toBe(8192);
    // 1000 * $2.50 + 8192 * $10 = 84420 per million.
    expect(nanos).toBe(84_420_000);
  });

  it("uses an override's prices", () => {
    const overrides = parsePriceOverrides({
      "my-model": {
        input_per_mtok: 1,
        output_per_mtok: 2,
        cache_read_per_mtok: 0.1,
        cache_write_per_mtok: 1.25,
      },
    });

    const nanos = estimateWorstCaseCostNanos(
      { model: "my-model", bodyBytes: 1000, maxOutputTokens: 100 },
      { overrides, providerId: "openai" },
    );

    // 1000 * $1.25 (cache write) + 100 * $2 = 1450 per million.
    expect(nanos).toBe(1_450_000);
  });

  it("uses the simulated rate for simulated models", () => {
    const nanos = estimateWorstCaseCostNanos(
      { model: "simulated-gpt-4o", bodyBytes: 1000, maxOutputTokens: 100 },
      openai,
    );

    expect(nanos).toBe(1_450_000);
  });

  it("gives null for a model it cannot price", () => {
    const nanos = estimateWorstCaseCostNanos(
      { model: "no-such-model-xyz", bodyBytes: 1000, maxOutputTokens: 100 },
      openai,
    );

    expect(nanos).toBeNull();
  });

  it("is not exceeded by the call it estimates", async () => {
    const body = JSON.stringify({
      model: "simulated-gpt-4o",
      max_tokens: 20,
      messages: [{ role: "user", content: "word ".repeat(500) }],
    });
    const estimate = estimateWorstCaseCostNanos(
      {
        model: "simulated-gpt-4o",
        bodyBytes: body.length,
        maxOutputTokens: 20,
      },
      openai,
    );

    const response = await simulatedUpstream(
      new Request("http://sim/v1/chat/completions", { method: "POST", body }),
    );
    const usage = openAiUsageFromBody(
      parseUpstreamJson(await response.text()),
      "simulated-gpt-4o",
    );
    const actual = priceCall(usage, openai);

    expect(actual.priced && actual.cost_nanos).toBeGreaterThan(0);
    expect(actual.priced && actual.cost_nanos).toBeLessThanOrEqual(
      estimate ?? 0,
    );
  });
});

describe("requestedMaxOutputTokens", () => {
  it("prefers OpenAI's max_completion_tokens to max_tokens", () => {
    const body = { max_completion_tokens: 300, max_tokens: 100 };

    expect(requestedMaxOutputTokens("openai", body)).toBe(300);
  });

  it("reads Anthropic's max_tokens", () => {
    expect(requestedMaxOutputTokens("anthropic", { max_tokens: 1024 })).toBe(
      1024,
    );
  });

  it("gives undefined when the request sets no limit", () => {
    expect(requestedMaxOutputTokens("openai", {})).toBeUndefined();
  });
});
