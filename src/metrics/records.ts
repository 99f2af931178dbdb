/**
 * The records of OpenHands' `Metrics`, in its wire field names (snake_case),
 * as `Metrics.get()` serialises them. `source` is ours: it names the LLM user
 * (agent, condenser, draft_editor, title_generator, ...) that made the call.
 */

/** One priced call: `cost` in USD, `timestamp` in epoch seconds. */
export interface CostRecord {
  model: string;
  cost: number;
  timestamp: number;
  source?: string;
}

/** One call's response time; a negative latency is clamped to 0. */
export interface ResponseLatencyRecord {
  model: string;
  latency: number;
  response_id: string;
  source?: string;
  /** Streamed calls: seconds until the first byte of the answer. */
  time_to_first_token?: number;
}

/** The token counters that accumulate: summed, except where noted. */
export interface TokenCounters {
  prompt_tokens: number;
  completion_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** The largest context window seen, not a sum. */
  context_window: number;
  /** prompt + completion of the latest call, not a sum. */
  per_turn_token: number;
}

/** One call's token usage, or the accumulated usage of many. */
export interface TokenUsageRecord extends TokenCounters {
  model: string;
  response_id: string;
  source?: string;
}

/** The serialised shape of `Metrics.get()`, with newer `model_name`. */
export interface MetricsSnapshot {
  accumulated_cost: number;
  max_budget_per_task: number | null;
  accumulated_token_usage: TokenUsageRecord;
  costs: CostRecord[];
  response_latencies: ResponseLatencyRecord[];
  token_usages: TokenUsageRecord[];
  model_name: string;
}

/** How many entries of each list a snapshot carries; totals stay exact. */
export const SNAPSHOT_LIST_LIMIT = 500;
