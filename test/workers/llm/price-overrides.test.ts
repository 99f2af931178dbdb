import { describe, expect, it } from "vitest";
import { PriceOverridesError } from "../../../src/llm/errors.js";
import { parsePriceOverrides } from "../../../src/llm/price-overrides.js";
import { pricingProviderId } from "../../../src/llm/provider-id.js";

describe("parsePriceOverrides", () => {
  it("reads a JSON string of per-model prices", () => {
    const overrides = parsePriceOverrides(
      '{"my-model": {"input_per_mtok": 1, "output_per_mtok": 2, ' +
        '"cache_read_per_mtok": 0.1, "cache_write_per_mtok": 1.25}}',
    );

    expect(overrides.get("my-model")).toEqual({
      input_per_mtok: 1,
      output_per_mtok: 2,
      cache_read_per_mtok: 0.1,
      cache_write_per_mtok: 1.25,
    });
  });

  it("charges cache tokens at the input rate when no cache rate is set", () => {
    const overrides = parsePriceOverrides({
      m: { input_per_mtok: 3, output_per_mtok: 4 },
    });

    expect(overrides.get("m")).toMatchObject({
      cache_read_per_mtok: 3,
      cache_write_per_mtok: 3,
    });
  });

  it("reads an unset or empty variable as no overrides", () => {
    expect(parsePriceOverrides(undefined).size).toBe(0);
    expect(parsePriceOverrides("").size).toBe(0);
  });

  it("refuses text that is not JSON, saying what is expected", () => {
    expect(() => parsePriceOverrides("{my-model: 1}")).toThrow(
      /PRICE_OVERRIDES is not valid JSON/,
    );
  });

  it("names the model and field of a negative price", () => {
    const bad = { m: { input_per_mtok: -1, output_per_mtok: 2 } };

    expect(() => parsePriceOverrides(bad)).toThrow(
      'PRICE_OVERRIDES["m"].input_per_mtok must not be negative.',
    );
  });

  it("names a missing output price", () => {
    expect(() => parsePriceOverrides({ m: { input_per_mtok: 1 } })).toThrow(
      /PRICE_OVERRIDES\["m"\]\.output_per_mtok must be a number/,
    );
  });

  it("refuses an unknown field, listing the known ones", () => {
    const bad = { m: { input_per_mtok: 1, output_per_mtok: 2, input: 1 } };

    expect(() => parsePriceOverrides(bad)).toThrow(PriceOverridesError);
    expect(() => parsePriceOverrides(bad)).toThrow(/unknown fields \(input\)/);
  });

  it("refuses a list where an object is expected", () => {
    expect(() => parsePriceOverrides("[]")).toThrow(
      /must be a JSON object from model name to prices/,
    );
  });
});

describe("pricingProviderId", () => {
  it("recognises a known provider by its API URL", () => {
    expect(pricingProviderId("openai", "https://openrouter.ai/api/v1")).toBe(
      "openrouter",
    );
  });

  it("falls back to the wire format's owner for a local URL", () => {
    expect(pricingProviderId("openai", "http://127.0.0.1:8000/v1")).toBe(
      "openai",
    );
    expect(pricingProviderId("anthropic", "http://127.0.0.1:8000")).toBe(
      "anthropic",
    );
  });

  it("uses the wire format's owner without a URL", () => {
    expect(pricingProviderId("anthropic")).toBe("anthropic");
  });
});
