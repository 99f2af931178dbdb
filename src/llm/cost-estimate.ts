/**
 * The worst-case cost of a call before it is made, for a budget
 * reservation: every prompt token priced at the dearer of the input and
 * cache-write rates, and the largest output the request allows.
 *
 * The prompt's upper bound is the request body's length in bytes: every
 * tokenizer in use spends at least one byte of text per token, and the
 * JSON around the messages only adds bytes. An image costs fewer tokens
 * than its bytes, so the bound holds there too.
 */
import type { LlmApi } from "./call-usage.js";
import { readCount } from "./json-fields.js";
import { costAtPriceNanos, type PricedCounts } from "./model-price.js";
import type { PriceOverrides } from "./price-overrides.js";
import { builtInCost, candidateModels, overridePrice } from "./pricing.js";

/**
 * The output allowance assumed when an OpenAI request sets no
 * `max_completion_tokens` or `max_tokens`. It is not a true bound (a model
 * may write more), so a budget is only as tight as clients' own limits;
 * 8192 covers a long answer from most chat models. Anthropic requires
 * `max_tokens`, so it applies there only to malformed requests.
 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 8_192;

/** What the estimate needs from the request. */
export interface WorstCaseRequest {
  /** The requested model. */
  model: string;
  /** The request body's length in bytes: the prompt's upper bound. */
  bodyBytes: number;
  /** From `requestedMaxOutputTokens`; undefined for the default. */
  maxOutputTokens?: number;
}

/** What pricing needs beyond the request. */
export interface EstimateOptions {
  overrides: PriceOverrides;
  providerId: string;
  at?: Date;
}

/**
 * The output limit a request sets: `max_completion_tokens`, else
 * `max_tokens` (OpenAI's older name, and Anthropic's only one).
 *
 * @returns undefined when the request sets neither.
 */
export function requestedMaxOutputTokens(
  api: LlmApi,
  body: Record<string, unknown>,
): number | undefined {
  const keys =
    api === "openai" ? ["max_completion_tokens", "max_tokens"] : ["max_tokens"];
  for (const key of keys) {
    if (typeof body[key] === "number") {
      return readCount(body, key);
    }
  }
  return undefined;
}

/**
 * The most the call can cost, in nano-USD, at the same prices the call
 * will be charged (overrides, the simulated rate, the table). An upstream's
 * own reported cost cannot be known in advance.
 *
 * @returns null when no price is known for the model: the caller decides
 *   whether such a call may run against a budget.
 */
export function estimateWorstCaseCostNanos(
  request: WorstCaseRequest,
  options: EstimateOptions,
): number | null {
  const promptTokens = Math.max(0, Math.ceil(request.bodyBytes));
  const completionTokens = request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS;
  const plain = counts(promptTokens, completionTokens, 0);
  const allCacheWrites = counts(promptTokens, completionTokens, promptTokens);
  const models = candidateModels(request.model, undefined);

  const override = overridePrice(models, options.overrides);
  if (override !== undefined) {
    return Math.max(
      costAtPriceNanos(override, plain),
      costAtPriceNanos(override, allCacheWrites),
    );
  }

  const plainCost = builtInCost(models, plain, options);
  const writesCost = builtInCost(models, allCacheWrites, options);
  if (plainCost === undefined || !plainCost.priced) {
    return null;
  }
  const writes = writesCost?.priced === true ? writesCost.cost_nanos : 0;
  return Math.max(plainCost.cost_nanos, writes);
}

function counts(
  prompt: number,
  completion: number,
  cacheWrites: number,
): PricedCounts {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    cache_read_tokens: 0,
    cache_write_tokens: cacheWrites,
  };
}
