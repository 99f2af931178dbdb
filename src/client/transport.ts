import type { ConversationSnapshot } from "../metrics/snapshot-types.js";
import type { OperationInput } from "../operations/schema.js";
import type { ServiceError } from "./errors.js";

/** The outcome of sending one batch once. */
export type PostOutcome =
  | { ok: true }
  | { ok: false; error: ServiceError; retryAfterMs: number | null };

/**
 * How a remote conversation is reached: HTTP with an API key, or the
 * socket with a token (the service takes tokens on the socket only).
 */
export interface Transport {
  /** Sends one batch once; never throws, so the queue decides retries. */
  post(ops: readonly OperationInput[]): Promise<PostOutcome>;
  /** @throws ServiceError when the service refuses or cannot be reached */
  snapshot(): Promise<ConversationSnapshot>;
  close(): void;
}
