import { nanosToUsd, usdToNanos } from "../metrics/money.js";
import { RecentLists } from "../metrics/recent-lists.js";
import {
  emptyScopes,
  foldBatch,
  installRows,
  type ScopedTotals,
} from "../metrics/scoped-totals.js";
import type { AppliedOperation } from "../operations/applied.js";
import type { Operation, OperationInput } from "../operations/schema.js";

/**
 * A conversation's record kept in memory, for a client with no service:
 * the service's own fold and lists (src/metrics), so the rules cannot
 * drift. Ids apply once, every new operation gets the next seq, and a
 * negative latency is stored as 0.
 */
export class LocalRecord {
  readonly totals: ScopedTotals = emptyScopes();
  readonly recent = new RecentLists();
  #seq = 0;
  readonly #ids = new Set<string>();
  readonly #listeners = new Set<(ops: AppliedOperation[]) => void>();

  constructor(readonly conversationId: string) {}

  /** The seq of the last applied operation, 0 when none. */
  get seq(): number {
    return this.#seq;
  }

  /** Applies checked operations; ids seen before change nothing. */
  apply(ops: readonly OperationInput[]): AppliedOperation[] {
    const timestamp = Date.now() / 1000;
    const applied: AppliedOperation[] = [];
    for (const input of ops) {
      if (this.#ids.has(input.id)) continue;
      this.#ids.add(input.id);
      applied.push({ ...withDefaults(input), seq: ++this.#seq, timestamp });
    }

    installRows(this.totals, foldBatch(this.totals, applied));
    this.recent.push(applied);
    if (applied.length > 0) {
      for (const listener of this.#listeners) listener(applied);
    }
    return applied;
  }

  /** Calls `listener` with every batch of newly applied operations. */
  listen(listener: (ops: AppliedOperation[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The operation with the defaults the service's schema fills in. */
function withDefaults(op: OperationInput): Operation {
  switch (op.type) {
    case "add_cost":
      // Kept in nano-USD, as the service keeps it.
      return { ...op, cost: nanosToUsd(usdToNanos(op.cost)) };
    case "add_response_latency":
      return {
        ...op,
        latency: Math.max(0, op.latency),
        response_id: op.response_id ?? "",
      };
    case "add_token_usage":
      return {
        ...op,
        cache_read_tokens: op.cache_read_tokens ?? 0,
        cache_write_tokens: op.cache_write_tokens ?? 0,
        reasoning_tokens: op.reasoning_tokens ?? 0,
        context_window: op.context_window ?? 0,
        response_id: op.response_id ?? "",
      };
    case "add_unpriced_call":
      return { ...op, response_id: op.response_id ?? "" };
  }
}
