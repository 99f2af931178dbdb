import type { ConversationSnapshot } from "../metrics/snapshot-types.js";
import type { OperationInput } from "../operations/schema.js";
import type { Subscription, UpdateCallback } from "./updates.js";

/**
 * Where a conversation handle's operations go: the service, or a local
 * in-memory record. Operations reach a backend already checked.
 */
export interface Backend {
  /** Operations written and not yet stored or given up. */
  readonly pending: number;
  write(ops: readonly OperationInput[]): void;
  /** Resolves when all written so far is stored; rejects on a refusal. */
  flush(): Promise<void>;
  /** The record after everything written so far has settled. */
  snapshot(): Promise<ConversationSnapshot>;
  subscribe(callback: UpdateCallback): Subscription;
  /** Lets go of open connections; call after the last flush. */
  close(): void;
}
