import type { ConversationSnapshot } from "../metrics/snapshot-types.js";
import type { OperationInput } from "../operations/schema.js";
import type { Backend } from "./backend.js";
import { HttpTransport } from "./http-transport.js";
import { LiveSubscription } from "./live-subscription.js";
import type { ResolvedOptions, TokenSource } from "./options.js";
import { SocketTransport } from "./socket-transport.js";
import type { SocketAuth, SocketConfig } from "./socket-open.js";
import { socketUrl } from "./socket-url.js";
import type { Transport } from "./transport.js";
import type { Subscription, UpdateCallback } from "./updates.js";
import { WriteQueue } from "./write-queue.js";

/** Where the service is and how to sign in to it. */
type Remote = NonNullable<ResolvedOptions["remote"]>;

/**
 * A conversation on the service. Writes go through a batching queue; with
 * an API key over HTTP, with a token over the socket (the service takes
 * tokens there only). Subscriptions use the socket either way.
 */
export class RemoteBackend implements Backend {
  readonly #options: ResolvedOptions;
  readonly #socket: SocketConfig;
  readonly #transport: Transport;
  readonly #queue: WriteQueue;

  constructor(options: ResolvedOptions, remote: Remote) {
    const { credential } = remote;
    this.#options = options;
    this.#socket = {
      url: (after, token) =>
        socketUrl(remote.baseUrl, options.conversationId, { after, token }),
      auth: async (): Promise<SocketAuth> =>
        "apiKey" in credential
          ? { authorization: `Bearer ${credential.apiKey}` }
          : { token: await readToken(credential.token) },
      WebSocket: options.WebSocket,
    };

    this.#transport =
      "apiKey" in credential
        ? new HttpTransport({
            baseUrl: remote.baseUrl,
            conversationId: options.conversationId,
            fetch: options.fetch,
            authorization: `Bearer ${credential.apiKey}`,
            requestTimeoutMs: options.requestTimeoutMs,
          })
        : new SocketTransport(this.#socket, options.requestTimeoutMs);
    this.#queue = new WriteQueue({
      maxBatch: options.maxBatch,
      lingerMs: options.lingerMs,
      retry: options.retry,
      post: (ops) => this.#transport.post(ops),
      report: options.onError,
    });
  }

  get pending(): number {
    return this.#queue.size;
  }

  write(ops: readonly OperationInput[]): void {
    this.#queue.push(ops);
  }

  flush(): Promise<void> {
    return this.#queue.flush();
  }

  async snapshot(): Promise<ConversationSnapshot> {
    await this.#queue.settled();
    return this.#transport.snapshot();
  }

  subscribe(callback: UpdateCallback): Subscription {
    return new LiveSubscription({
      ...this.#socket,
      reconnect: this.#options.reconnect,
      callback,
      report: this.#options.onError,
    });
  }

  close(): void {
    this.#transport.close();
  }
}

async function readToken(source: TokenSource): Promise<string> {
  return typeof source === "string" ? source : await source();
}
