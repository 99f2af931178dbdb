import { SNAPSHOT_LIST_LIMIT } from "../metrics/records.js";
import { usdToNanos } from "../metrics/money.js";
import {
  callCounters,
  combineCounters,
  emptyTotals,
  type Totals,
} from "../metrics/totals.js";
import type { AppliedOperation } from "../operations/applied.js";
import type { Operation, OperationInput } from "../operations/schema.js";

/** The newest entries of one snapshot list, trimmed in chunks. */
export type ListName = "costs" | "latencies" | "token_usages";

/**
 * A conversation's record kept in memory, for a client with no service:
 * the same rules as the service's conversation object. Ids apply once,
 * every new operation gets the next seq, a negative latency is stored as
 * 0, and totals are kept per conversation, source and model.
 */
export class LocalRecord {
  readonly all: Totals = emptyTotals();
  readonly bySource = new Map<string, Totals>();
  readonly byModel = new Map<string, Totals>();
  readonly lists: Record<ListName, AppliedOperation[]> = {
    costs: [],
    latencies: [],
    token_usages: [],
  };
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

      const op = { ...withDefaults(input), seq: ++this.#seq, timestamp };
      this.#accumulate(op);
      applied.push(op);
    }

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

  #accumulate(op: AppliedOperation): void {
    for (const totals of [
      this.all,
      scope(this.bySource, op.source),
      scope(this.byModel, op.model),
    ]) {
      accumulate(totals, op);
    }

    const list = listOf(op);
    if (list === null) return;
    const entries = this.lists[list];
    entries.push(op);
    if (entries.length >= SNAPSHOT_LIST_LIMIT * 2) {
      entries.splice(0, entries.length - SNAPSHOT_LIST_LIMIT);
    }
  }
}

/** The list an operation's record goes in; unpriced calls only count. */
function listOf(op: AppliedOperation): ListName | null {
  switch (op.type) {
    case "add_cost":
      return "costs";
    case "add_response_latency":
      return "latencies";
    case "add_token_usage":
      return "token_usages";
    case "add_unpriced_call":
      return null;
  }
}

function scope(scopes: Map<string, Totals>, name: string): Totals {
  let totals = scopes.get(name);
  if (totals === undefined) {
    totals = emptyTotals();
    scopes.set(name, totals);
  }
  return totals;
}

/** One operation into one scope's totals, as the service folds them. */
function accumulate(totals: Totals, op: AppliedOperation): void {
  totals.lastModel = op.model;
  switch (op.type) {
    case "add_cost":
      totals.costNanos += usdToNanos(op.cost);
      totals.costCount += 1;
      return;
    case "add_response_latency":
      totals.latencyCount += 1;
      return;
    case "add_token_usage":
      totals.tokens = combineCounters(totals.tokens, callCounters(op));
      totals.tokenUsageCount += 1;
      return;
    case "add_unpriced_call":
      totals.unpricedCount += 1;
      return;
  }
}

/** The operation with the defaults the service's schema fills in. */
function withDefaults(op: OperationInput): Operation {
  switch (op.type) {
    case "add_cost":
      return op;
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
