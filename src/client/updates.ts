import type {
  ConversationSnapshot,
  ConversationTotals,
  ScopeSnapshot,
  ScopeTotals,
} from "../metrics/snapshot-types.js";
import type { AppliedOperation } from "../operations/applied.js";

/**
 * What a subscriber receives. `snapshot` comes first and whenever the
 * subscriber must start over; `update` carries live operations; `resync`
 * carries the operations missed while the socket was down. Together they
 * list every operation once, in seq order, each with the totals after it.
 */
export type MetricsUpdate =
  | {
      kind: "snapshot";
      /** The seq of the last operation the snapshot includes. */
      seq: number;
      operations: [];
      totals: ConversationTotals;
      snapshot: ConversationSnapshot;
    }
  | {
      kind: "update" | "resync";
      /** The seq of the last operation in `operations`. */
      seq: number;
      operations: AppliedOperation[];
      totals: ConversationTotals;
    };

/** Called with every update, in order. */
export type UpdateCallback = (update: MetricsUpdate) => void;

/** A running subscription. */
export interface Subscription {
  /**
   * Resolves once the first snapshot has been delivered (or the
   * subscription was closed before); it never rejects.
   */
  readonly ready: Promise<void>;
  /** Stops updates and closes the socket; no reconnect follows. */
  close(): void;
}

/** A snapshot's totals without its lists: what a live update carries. */
export function totalsOf(snapshot: ConversationSnapshot): ConversationTotals {
  const { by_source, by_model, ...rest } = snapshot;
  return {
    ...scopeTotalsOf(rest),
    conversation_id: snapshot.conversation_id,
    seq: snapshot.seq,
    by_source: mapValues(by_source, scopeTotalsOf),
    by_model: mapValues(by_model, scopeTotalsOf),
  };
}

function scopeTotalsOf(scope: ScopeSnapshot): ScopeTotals {
  return {
    accumulated_cost: scope.accumulated_cost,
    max_budget_per_task: scope.max_budget_per_task,
    accumulated_token_usage: scope.accumulated_token_usage,
    model_name: scope.model_name,
    unpriced_calls: scope.unpriced_calls,
  };
}

function mapValues<A, B>(
  record: Record<string, A>,
  map: (value: A) => B,
): Record<string, B> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [key, map(value)]),
  );
}
