import type { TokenCounters } from "./records.js";

/** Token counts of one call, as an operation carries them. */
export interface CallTokens {
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  context_window: number;
}

/**
 * Running totals of one scope (a conversation, a source or a model). Kept up
 * to date as operations apply, so reading them never replays history.
 */
export interface Totals {
  costNanos: number;
  tokens: TokenCounters;
  costCount: number;
  latencyCount: number;
  tokenUsageCount: number;
  unpricedCount: number;
  /** The model of the latest operation in this scope. */
  lastModel: string;
}

/** Counters of a scope that has seen nothing. */
export function emptyCounters(): TokenCounters {
  return {
    prompt_tokens: 0,
    completion_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    context_window: 0,
    per_turn_token: 0,
  };
}

/** Totals of a scope that has seen nothing. */
export function emptyTotals(): Totals {
  return {
    costNanos: 0,
    tokens: emptyCounters(),
    costCount: 0,
    latencyCount: 0,
    tokenUsageCount: 0,
    unpricedCount: 0,
    lastModel: "",
  };
}

/** A deep copy, so a failed batch can leave the original untouched. */
export function copyTotals(totals: Totals): Totals {
  return { ...totals, tokens: { ...totals.tokens } };
}

/** The counters of one call: `per_turn_token` is prompt plus completion. */
export function callCounters(call: CallTokens): TokenCounters {
  return {
    ...call,
    per_turn_token: call.prompt_tokens + call.completion_tokens,
  };
}

/**
 * OpenHands' `TokenUsage.__add__`: the five counters add, the context window
 * keeps the larger, and `per_turn_token` comes from the later of the two.
 */
export function combineCounters(
  earlier: TokenCounters,
  later: TokenCounters,
): TokenCounters {
  return {
    prompt_tokens: earlier.prompt_tokens + later.prompt_tokens,
    completion_tokens: earlier.completion_tokens + later.completion_tokens,
    cache_read_tokens: earlier.cache_read_tokens + later.cache_read_tokens,
    cache_write_tokens: earlier.cache_write_tokens + later.cache_write_tokens,
    reasoning_tokens: earlier.reasoning_tokens + later.reasoning_tokens,
    context_window: Math.max(earlier.context_window, later.context_window),
    per_turn_token: later.per_turn_token,
  };
}

/**
 * OpenHands' `Metrics.diff` on counters: what was added since the baseline.
 * The context window is the current one and `per_turn_token` resets to 0.
 */
export function diffCounters(
  current: TokenCounters,
  baseline: TokenCounters,
): TokenCounters {
  return {
    prompt_tokens: current.prompt_tokens - baseline.prompt_tokens,
    completion_tokens: current.completion_tokens - baseline.completion_tokens,
    cache_read_tokens: current.cache_read_tokens - baseline.cache_read_tokens,
    cache_write_tokens:
      current.cache_write_tokens - baseline.cache_write_tokens,
    reasoning_tokens: current.reasoning_tokens - baseline.reasoning_tokens,
    context_window: current.context_window,
    per_turn_token: 0,
  };
}
