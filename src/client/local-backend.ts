import type { ConversationSnapshot } from "../metrics/snapshot-types.js";
import type { OperationInput } from "../operations/schema.js";
import type { Backend } from "./backend.js";
import { LocalRecord } from "./local-record.js";
import { localSnapshot } from "./local-snapshot.js";
import { LocalSubscription } from "./local-subscription.js";
import type { Subscription, UpdateCallback } from "./updates.js";

/** A conversation with no service: writes apply at once, in memory. */
export class LocalBackend implements Backend {
  readonly pending = 0;
  readonly #record: LocalRecord;
  readonly #report: (error: Error) => void;

  constructor(conversationId: string, report: (error: Error) => void) {
    this.#record = new LocalRecord(conversationId);
    this.#report = report;
  }

  write(ops: readonly OperationInput[]): void {
    this.#record.apply(ops);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  snapshot(): Promise<ConversationSnapshot> {
    return Promise.resolve(localSnapshot(this.#record));
  }

  subscribe(callback: UpdateCallback): Subscription {
    return new LocalSubscription(this.#record, callback, this.#report);
  }

  close(): void {
    // Nothing is open: the record lives as long as the handle.
  }
}
