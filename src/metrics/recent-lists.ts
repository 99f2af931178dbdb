import { SNAPSHOT_LIST_LIMIT } from "./records.js";
import type { AppliedOperation } from "../operations/applied.js";

/** The lists a snapshot carries, by the table (or array) that holds them. */
export type ListKind = "costs" | "latencies" | "token_usages";

/** The list an operation's record goes in; an unpriced call only counts. */
function listOf(op: AppliedOperation): ListKind | null {
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

/**
 * The newest entries of each snapshot list, kept in memory so a snapshot
 * reads no storage. The service loads them once on wake (a bounded read);
 * the client's local record starts empty.
 */
export class RecentLists {
  readonly #lists: Record<ListKind, AppliedOperation[]>;

  constructor(initial?: Partial<Record<ListKind, AppliedOperation[]>>) {
    this.#lists = {
      costs: initial?.costs ?? [],
      latencies: initial?.latencies ?? [],
      token_usages: initial?.token_usages ?? [],
    };
  }

  /** Appends applied operations to their lists. */
  push(ops: readonly AppliedOperation[]): void {
    for (const op of ops) {
      const kind = listOf(op);
      if (kind === null) continue;
      const list = this.#lists[kind];
      list.push(op);
      // Trim in chunks so appending stays O(1) amortised.
      if (list.length >= SNAPSHOT_LIST_LIMIT * 2) {
        list.splice(0, list.length - SNAPSHOT_LIST_LIMIT);
      }
    }
  }

  /** The newest entries of a list, oldest first. */
  newest(kind: ListKind): AppliedOperation[] {
    return this.#lists[kind].slice(-SNAPSHOT_LIST_LIMIT);
  }
}
