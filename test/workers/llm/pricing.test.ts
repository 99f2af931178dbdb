import { describe, expect, it } from "vitest";
import { anthropicUsageFromBody } from "../../../src/llm/anthropic-usage.js";
import type { CallUsage } from "../../../src/llm/call-usage.js";
import { parseUpstreamJson } from "../../../src/llm/json-fields.js";
import { openAiUsageFromBody } from "../../../src/llm/openai-usage.js";
import {
  NO_PRICE_OVERRIDES,
  parsePriceOverrides,
} from "../../../src/llm/price-overrides.js";
import { tableContextWindow } from "../../../src/llm/price-table.js";
import { priceCall } from "../../../src/llm/pricing.js";
import { upstreamCostFromHeaders } from "../../../src/llm/upstream-cost.js";
import { callAnthropic, callOpenAi } from "./fake.js";

const openai = { overrides: NO_PRICE_OVERRIDES, providerId: "openai" };

function usage(fields: Partial<CallUsage>): CallUsage {
  return {
    model: "gpt-4o",
    response_id: "r1",
    prompt_tokens: 1000,
    completion_tokens: 100,
    cache_read_tokens: 200,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    usage_reported: true,
    ...fields,
  };
}

const GPT_4O_OVERRIDE = parsePriceOverrides(
  '{"gpt-4o": {"input_per_mtok": 1, "output_per_mtok": 2, ' +
    '"cache_read_per_mtok": 0.1, "cache_write_per_mtok": 1.25}}',
);

describe("priceCall against the fake upstream", () => {
  it("prices OpenAI's inclusive prompt with cached tokens at the table", async () => {
    const response = await callOpenAi({
      model: "gpt-4o",
      directives: "prompt=1000,completion=100,cache-read=200",
    });
    const body = parseUpstreamJson(await response.text());

    const cost = priceCall(openAiUsageFromBody(body, "gpt-4o"), openai);

    // gpt-4o: $2.50 input, $1.25 cached input, $10 output per million.
    // 800 * 2.5 + 200 * 1.25 + 100 * 10 = 3250 USD per million tokens.
    expect(cost).toEqual({
      priced: true,
      cost_nanos: 3_250_000,
      source: "table",
    });
  });

  it("prices Anthropic's exclusive input with cache reads and writes", async () => {
    const model = "claude-sonnet-4-20250514";
    const response = await callAnthropic({
      model,
      directives: "prompt=1000,completion=100,cache-read=300,cache-write=100",
    });
    const body = parseUpstreamJson(await response.text());

    const cost = priceCall(anthropicUsageFromBody(body, model), {
      overrides: NO_PRICE_OVERRIDES,
      providerId: "anthropic",
    });

    // Wire: input 600, cache read 300, cache write 100, output 100.
    // Sonnet 4: $3 input, $0.30 read, $3.75 write, $15 output per million.
    // 600 * 3 + 300 * 0.3 + 100 * 3.75 + 100 * 15 = 3765.
    expect(cost).toEqual({
      priced: true,
      cost_nanos: 3_765_000,
      source: "table",
    });
  });

  it("takes the cost the upstream reported in its header", async () => {
    const response = await callOpenAi({ directives: "cost=0.5" });
    const body = parseUpstreamJson(await response.text());

    const cost = priceCall(openAiUsageFromBody(body, "gpt-4o"), {
      ...openai,
      headerCostUsd: upstreamCostFromHeaders(response.headers),
    });

    expect(cost).toEqual({
      priced: true,
      cost_nanos: 500_000_000,
      source: "upstream",
    });
  });
});

describe("priceCall precedence", () => {
  it("lets an override win over an upstream cost and the table", () => {
    const cost = priceCall(usage({}), {
      ...openai,
      overrides: GPT_4O_OVERRIDE,
      headerCostUsd: 0.5,
    });

    // 800 * 1 + 200 * 0.1 + 100 * 2 = 1020 USD per million tokens.
    expect(cost).toEqual({
      priced: true,
      cost_nanos: 1_020_000,
      source: "override",
    });
  });

  it("lets an upstream cost win over the table", () => {
    const cost = priceCall(usage({ upstream_cost_usd: 0.002 }), openai);

    expect(cost).toEqual({
      priced: true,
      cost_nanos: 2_000_000,
      source: "upstream",
    });
  });

  it("prefers the header's cost to the body's", () => {
    const cost = priceCall(usage({ upstream_cost_usd: 0.002 }), {
      ...openai,
      headerCostUsd: 0.003,
    });

    expect(cost).toMatchObject({ cost_nanos: 3_000_000 });
  });

  it("does not believe a reported 0 for a model the table prices", () => {
    const cost = priceCall(usage({ upstream_cost_usd: 0 }), openai);

    expect(cost).toMatchObject({ source: "table", cost_nanos: 3_250_000 });
  });

  it("believes a reported 0 for a model nothing else prices", () => {
    const cost = priceCall(
      usage({ model: "some/free-model:free", upstream_cost_usd: 0 }),
      openai,
    );

    expect(cost).toEqual({ priced: true, cost_nanos: 0, source: "upstream" });
  });
});

describe("priceCall without a price", () => {
  it("marks an unknown model unpriced, never $0", () => {
    const cost = priceCall(usage({ model: "no-such-model-xyz" }), openai);

    expect(cost).toMatchObject({ priced: false, reason: "unknown_model" });
  });

  it("marks a call whose usage was not reported unpriced", () => {
    const cost = priceCall(
      usage({ usage_reported: false, prompt_tokens: 0, cache_read_tokens: 0 }),
      openai,
    );

    expect(cost).toMatchObject({ priced: false, reason: "usage_unreported" });
  });

  it("marks more cached tokens than prompt tokens unpriced", () => {
    const cost = priceCall(usage({ cache_read_tokens: 1200 }), openai);

    expect(cost).toMatchObject({ priced: false, reason: "inconsistent_usage" });
  });

  it("falls back to the requested model's price", () => {
    const cost = priceCall(usage({ model: "/models/served-path" }), {
      ...openai,
      requestedModel: "gpt-4o",
    });

    expect(cost).toMatchObject({ source: "table", cost_nanos: 3_250_000 });
  });

  it("finds a model under another provider when its own does not list it", () => {
    const cost = priceCall(
      usage({ model: "claude-3-5-haiku-20241022", cache_read_tokens: 0 }),
      openai,
    );

    // Haiku 3.5: $0.80 input, $4 output: 1000 * 0.8 + 100 * 4 = 1200.
    expect(cost).toMatchObject({ source: "table", cost_nanos: 1_200_000 });
  });
});

describe("priceCall for simulated models", () => {
  it("prices them at the documented simulated rate", () => {
    const cost = priceCall(
      usage({ model: "simulated-gpt-4o", cache_read_tokens: 0 }),
      openai,
    );

    // $1 input, $2 output per million: 1000 * 1 + 100 * 2 = 1200.
    expect(cost).toEqual({
      priced: true,
      cost_nanos: 1_200_000,
      source: "simulated",
    });
  });

  it("lets an override replace the simulated rate", () => {
    const overrides = parsePriceOverrides({
      "simulated-gpt-4o": { input_per_mtok: 10, output_per_mtok: 10 },
    });

    const cost = priceCall(
      usage({ model: "simulated-gpt-4o", cache_read_tokens: 0 }),
      { ...openai, overrides },
    );

    expect(cost).toMatchObject({ source: "override", cost_nanos: 11_000_000 });
  });
});

describe("upstreamCostFromHeaders", () => {
  it("reads LiteLLM's cost header", () => {
    const headers = new Headers({ "x-litellm-response-cost": "0.000123" });

    expect(upstreamCostFromHeaders(headers)).toBe(0.000123);
  });

  it("ignores a cost that is not a non-negative number", () => {
    for (const value of ["abc", "-1", "", "Infinity"]) {
      const headers = new Headers({ "x-litellm-response-cost": value });
      expect(upstreamCostFromHeaders(headers), value).toBeUndefined();
    }
  });
});

describe("tableContextWindow", () => {
  it("reads a known model's context window from the table", () => {
    expect(tableContextWindow("gpt-4o-2024-08-06", "openai")).toBe(128_000);
  });

  it("gives 0 for a model the table does not know", () => {
    expect(tableContextWindow("no-such-model-xyz", "openai")).toBe(0);
  });
});
