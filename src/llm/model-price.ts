/**
 * A flat per-token price in USD per million tokens, as operators write them
 * in `PRICE_OVERRIDES`, and the exact nano-USD cost of a call at it.
 */
import type { CallUsage } from "./call-usage.js";

/** USD per million tokens of each kind. */
export interface ModelPrice {
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok: number;
  cache_write_per_mtok: number;
}

/** USD per million tokens is 1,000 nano-USD per token. */
const NANOS_PER_TOKEN_PER_USD_PER_MTOK = 1_000;

/** The token counts a price applies to (prompt inclusive of cache). */
export type PricedCounts = Pick<
  CallUsage,
  | "prompt_tokens"
  | "completion_tokens"
  | "cache_read_tokens"
  | "cache_write_tokens"
>;

/**
 * The cost of `counts` at `price`, in whole nano-USD. Cache reads and
 * writes are priced at their own rates and the rest of the prompt at the
 * input rate; the caller ensures the cache counts fit inside the prompt.
 */
export function costAtPriceNanos(
  price: ModelPrice,
  counts: PricedCounts,
): number {
  const uncached =
    counts.prompt_tokens - counts.cache_read_tokens - counts.cache_write_tokens;
  const usdPerMtokTimesTokens =
    uncached * price.input_per_mtok +
    counts.cache_read_tokens * price.cache_read_per_mtok +
    counts.cache_write_tokens * price.cache_write_per_mtok +
    counts.completion_tokens * price.output_per_mtok;

  return Math.round(usdPerMtokTimesTokens * NANOS_PER_TOKEN_PER_USD_PER_MTOK);
}
