import type { ConversationSnapshot } from "../metrics/snapshot-types.js";
import type { OperationInput } from "../operations/schema.js";
import type { Backend } from "./backend.js";
import { checkOperation } from "./build-operations.js";
import { ClientClosedError } from "./errors.js";
import { LocalBackend } from "./local-backend.js";
import { resolveOptions, type ConversationOptions } from "./options.js";
import { RemoteBackend } from "./remote-backend.js";
import { SourceMetrics } from "./source-metrics.js";
import type { Subscription, UpdateCallback } from "./updates.js";

/**
 * Opens a handle on one conversation's shared metrics record: on the
 * service when `baseUrl` is given, else on a local in-memory record with
 * the same rules.
 *
 * @example
 * const conversation = openConversation({
 *   baseUrl: "https://metrics.example.com",
 *   conversationId: "c-42",
 *   apiKey: process.env.METRICS_API_KEY,
 * });
 * conversation.metrics("condenser", "gpt-4o").addCost(0.02);
 * await conversation.flush();
 * @throws TypeError for a missing or invalid option
 */
export function openConversation(
  options: ConversationOptions = {},
): Conversation {
  return new Conversation(options);
}

/** A handle on one conversation's shared metrics record. */
export class Conversation {
  readonly conversationId: string;
  /** True when there is no service and the record lives in memory. */
  readonly local: boolean;
  readonly #backend: Backend;
  readonly #handles = new Map<string, SourceMetrics>();
  readonly #subscriptions = new Set<Subscription>();
  #closed = false;

  /** @throws TypeError for a missing or invalid option */
  constructor(options: ConversationOptions = {}) {
    const resolved = resolveOptions(options);
    this.conversationId = resolved.conversationId;
    this.local = resolved.remote === null;
    this.#backend =
      resolved.remote === null
        ? new LocalBackend(resolved.conversationId, resolved.onError)
        : new RemoteBackend(resolved, resolved.remote);
  }

  /**
   * The handle of one LLM user (`agent`, `condenser`, `draft_editor`,
   * `title_generator` or any short name) and its model; the same pair
   * always gives the same handle.
   * @throws InvalidOperationError for a bad source or model name
   */
  metrics(source: string, model: string): SourceMetrics {
    const key = `${source}\u0000${model}`;
    let handle = this.#handles.get(key);
    if (handle === undefined) {
      handle = new SourceMetrics(source, model, {
        write: (op) => this.#write([op]),
        snapshot: () => this.snapshot(),
      });
      this.#handles.set(key, handle);
    }
    return handle;
  }

  /**
   * Queues operations built elsewhere, such as those a ServiceError hands
   * back: sending an operation again is safe, its id applies once.
   * @throws InvalidOperationError for an operation the service would refuse
   */
  send(operations: readonly OperationInput[]): void {
    operations.forEach(checkOperation);
    this.#write(operations);
  }

  /** Operations queued and not yet stored or given up. */
  get pending(): number {
    return this.#backend.pending;
  }

  /**
   * Sends what is queued without waiting. Resolves when every operation
   * added before the call is stored; rejects with a ServiceError (its
   * `type`, `message`, `status` and unstored `operations`) if the service
   * refused some for good or retries ran out.
   */
  flush(): Promise<void> {
    return this.#backend.flush();
  }

  /**
   * The shared record (`GET /metrics`), read after the operations added
   * so far have settled, so it includes this process's own writes.
   * @throws ServiceError (`not_found` before anything was written)
   */
  snapshot(): Promise<ConversationSnapshot> {
    return this.#backend.snapshot();
  }

  /**
   * Calls `callback` with the record and then every change to it, over
   * the conversation's WebSocket (or the local record), reconnecting
   * after a drop without missing or repeating an operation.
   */
  subscribe(callback: UpdateCallback): Subscription {
    const inner = this.#backend.subscribe(callback);
    const subscription: Subscription = {
      ready: inner.ready,
      close: () => {
        this.#subscriptions.delete(subscription);
        inner.close();
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /**
   * Stops accepting writes, flushes what is queued and closes every
   * subscription; rejects as flush() does.
   */
  async close(): Promise<void> {
    this.#closed = true;
    try {
      await this.#backend.flush();
    } finally {
      for (const subscription of this.#subscriptions) subscription.close();
      this.#backend.close();
    }
  }

  #write(ops: readonly OperationInput[]): void {
    if (this.#closed) throw new ClientClosedError();
    this.#backend.write(ops);
  }
}
