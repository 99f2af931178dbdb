/**
 * Per-model prices from configuration: the `PRICE_OVERRIDES` variable, a
 * JSON object from model name to USD per million tokens, for example
 * `{"my-model": {"input_per_mtok": 1, "output_per_mtok": 2,
 * "cache_read_per_mtok": 0.1, "cache_write_per_mtok": 1.25}}`.
 * The cache rates are optional and default to the input rate: without a
 * known discount, a cached token is charged as an ordinary one.
 */
import { z } from "zod";
import { PriceOverridesError } from "./errors.js";
import { asRecord } from "./json-fields.js";
import type { ModelPrice } from "./model-price.js";

/** Prices by model name, exactly as the model is named. */
export type PriceOverrides = ReadonlyMap<string, ModelPrice>;

/** No overrides. */
export const NO_PRICE_OVERRIDES: PriceOverrides = new Map();

const rate = z
  .number({ error: "must be a number of USD per million tokens" })
  .min(0, "must not be negative")
  .max(1_000_000, "must be at most 1000000 USD per million tokens");

const overrideSchema = z.strictObject(
  {
    input_per_mtok: rate,
    output_per_mtok: rate,
    cache_read_per_mtok: rate.optional(),
    cache_write_per_mtok: rate.optional(),
  },
  { error: "must be an object such as {input_per_mtok, output_per_mtok}" },
);

const overridesSchema = z.record(
  z.string().min(1, "names no model: a model name must not be empty"),
  overrideSchema,
);

/**
 * Reads and validates `PRICE_OVERRIDES`.
 *
 * @param raw the variable: a JSON string, an already parsed object (a
 *   wrangler var may be a JSON object), or undefined/"" for none.
 * @throws PriceOverridesError naming the model and field at fault.
 */
export function parsePriceOverrides(raw: unknown): PriceOverrides {
  if (raw === undefined || raw === null || raw === "") {
    return NO_PRICE_OVERRIDES;
  }

  const value = typeof raw === "string" ? parseJson(raw) : raw;
  if (asRecord(value) === undefined) {
    throw new PriceOverridesError(
      "PRICE_OVERRIDES must be a JSON object from model name to prices.",
    );
  }

  const parsed = overridesSchema.safeParse(value);
  if (!parsed.success) {
    throw new PriceOverridesError(describeIssue(parsed.error.issues[0]));
  }

  const prices = new Map<string, ModelPrice>();
  for (const [model, price] of Object.entries(parsed.data)) {
    prices.set(model, {
      input_per_mtok: price.input_per_mtok,
      output_per_mtok: price.output_per_mtok,
      cache_read_per_mtok: price.cache_read_per_mtok ?? price.input_per_mtok,
      cache_write_per_mtok: price.cache_write_per_mtok ?? price.input_per_mtok,
    });
  }
  return prices;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new PriceOverridesError(
      "PRICE_OVERRIDES is not valid JSON; expected an object such as " +
        '{"my-model": {"input_per_mtok": 1, "output_per_mtok": 2}}.',
    );
  }
}

function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (issue === undefined) {
    return "PRICE_OVERRIDES is not valid.";
  }

  const path = issue.path
    .map((key, index) =>
      index === 0 ? `[${JSON.stringify(String(key))}]` : `.${String(key)}`,
    )
    .join("");
  return `PRICE_OVERRIDES${path} ${problemOf(issue)}.`;
}

function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_key") {
    return issue.issues[0]?.message ?? "is not a valid model name";
  }
  if (issue.code === "unrecognized_keys") {
    const known = Object.keys(overrideSchema.shape).join(", ");
    const unknown = issue.keys.join(", ");
    return `has unknown fields (${unknown}); the fields are ${known}`;
  }
  return issue.message;
}
