/**
 * A cost an upstream reports in a header. LiteLLM's proxy sends the USD
 * cost of each call as `x-litellm-response-cost`; OpenRouter reports its
 * cost in the body instead (`usage.cost`, read by the usage parsers).
 */

/** The header LiteLLM's proxy sets to the call's cost in USD. */
export const LITELLM_COST_HEADER = "x-litellm-response-cost";

/**
 * Reads an upstream-reported cost from response headers.
 *
 * @returns the cost in USD, or undefined when absent, not a number or
 *   negative (a negative cost is never trusted).
 */
export function upstreamCostFromHeaders(headers: Headers): number | undefined {
  const raw = headers.get(LITELLM_COST_HEADER);
  if (raw === null || raw.trim() === "") {
    return undefined;
  }

  const usd = Number(raw);
  return Number.isFinite(usd) && usd >= 0 ? usd : undefined;
}
