import type { AppliedOperation } from "../operations/applied.js";
import type { LocalRecord } from "./local-record.js";
import { localSnapshot, localTotals } from "./local-snapshot.js";
import type { MetricsUpdate, Subscription, UpdateCallback } from "./updates.js";

/**
 * A subscription to a local record: the same updates a socket gives, a
 * snapshot first and then the operations as they apply, with operations
 * added in one task coalesced into one update, as the service does.
 */
export class LocalSubscription implements Subscription {
  readonly ready: Promise<void>;
  #initial: MetricsUpdate | null;
  #operations: AppliedOperation[] = [];
  #scheduled = false;
  #closed = false;
  readonly #unlisten: () => void;

  constructor(
    private readonly record: LocalRecord,
    private readonly callback: UpdateCallback,
    private readonly report: (error: Error) => void,
  ) {
    // Taken now, so operations added before delivery come after it.
    const snapshot = localSnapshot(record);
    this.#initial = {
      kind: "snapshot",
      seq: snapshot.seq,
      operations: [],
      totals: localTotals(record),
      snapshot,
    };
    this.#unlisten = record.listen((ops) => {
      this.#operations.push(...ops);
      this.#schedule();
    });

    this.ready = new Promise((resolve) => {
      this.#schedule();
      queueMicrotask(resolve);
    });
  }

  close(): void {
    this.#closed = true;
    this.#unlisten();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => this.#drain());
  }

  #drain(): void {
    this.#scheduled = false;
    if (this.#closed) return;

    if (this.#initial !== null) {
      this.#deliver(this.#initial);
      this.#initial = null;
    }

    const operations = this.#operations;
    this.#operations = [];
    const last = operations[operations.length - 1];
    if (last === undefined) return;
    this.#deliver({
      kind: "update",
      seq: last.seq,
      operations,
      totals: localTotals(this.record),
    });
  }

  #deliver(update: MetricsUpdate): void {
    try {
      this.callback(update);
    } catch (error) {
      this.report(error instanceof Error ? error : new Error(String(error)));
    }
  }
}
