import { SNAPSHOT_LIST_LIMIT } from "../metrics/records.js";
import type { AppliedOperation } from "../operations/applied.js";
import type { ConversationStore, ListKind } from "./store.js";

/**
 * The newest entries of each snapshot list, kept in memory so a snapshot
 * reads no storage. Loaded once on wake (a bounded read), then appended to.
 */
export class RecentLists {
  readonly costs: AppliedOperation[];
  readonly latencies: AppliedOperation[];
  readonly token_usages: AppliedOperation[];

  constructor(store: ConversationStore | null) {
    const load = (kind: ListKind) =>
      store ? store.loadRecent(kind, SNAPSHOT_LIST_LIMIT) : [];
    this.costs = load("costs");
    this.latencies = load("latencies");
    this.token_usages = load("token_usages");
  }

  /** Appends applied operations to their lists. */
  push(ops: readonly AppliedOperation[]): void {
    for (const op of ops) {
      const list = this.#listFor(op);
      if (list === null) continue;
      list.push(op);
      // Trim in chunks so appending stays O(1) amortised.
      if (list.length >= SNAPSHOT_LIST_LIMIT * 2) {
        list.splice(0, list.length - SNAPSHOT_LIST_LIMIT);
      }
    }
  }

  /** The newest entries of a list, oldest first. */
  newest(kind: ListKind): AppliedOperation[] {
    return this[kind].slice(-SNAPSHOT_LIST_LIMIT);
  }

  #listFor(op: AppliedOperation): AppliedOperation[] | null {
    switch (op.type) {
      case "add_cost":
        return this.costs;
      case "add_response_latency":
        return this.latencies;
      case "add_token_usage":
        return this.token_usages;
      case "add_unpriced_call":
        return null;
    }
  }
}
