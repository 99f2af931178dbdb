import type { MetricsSnapshot } from "./records.js";

/** One scope's record (a source or a model) inside a snapshot. */
export interface ScopeSnapshot extends MetricsSnapshot {
  /** Calls that could not be priced: counted, never treated as free. */
  unpriced_calls: number;
}

/**
 * `GET /v1/conversations/{id}/metrics`: OpenHands' `Metrics.get()` shape for
 * the whole conversation, plus the same shape per source and per model.
 * Lists hold the newest 500 entries; totals are exact. The lists inside
 * `by_source` and `by_model` are the entries of that scope among the
 * conversation's lists.
 */
export interface ConversationSnapshot extends ScopeSnapshot {
  conversation_id: string;
  /** The seq of the last applied operation (0 when none). */
  seq: number;
  by_source: Record<string, ScopeSnapshot>;
  by_model: Record<string, ScopeSnapshot>;
}

type ListFields = "costs" | "response_latencies" | "token_usages";

/** A scope's totals without its lists. */
export type ScopeTotals = Omit<ScopeSnapshot, ListFields>;

/** A snapshot's totals without any lists: what a live update carries. */
export interface ConversationTotals extends ScopeTotals {
  conversation_id: string;
  seq: number;
  by_source: Record<string, ScopeTotals>;
  by_model: Record<string, ScopeTotals>;
}
