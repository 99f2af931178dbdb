import type { AppliedOperation } from "../operations/applied.js";
import type { ServerFrame } from "../live/protocol.js";
import { backoffDelayMs, type BackoffOptions } from "./backoff.js";
import { asError, ServiceError } from "./errors.js";
import {
  closeReason,
  errorText,
  openSocket,
  type SocketConfig,
} from "./socket-open.js";
import type { WebSocketLike } from "./transport-types.js";
import {
  totalsOf,
  type MetricsUpdate,
  type Subscription,
  type UpdateCallback,
} from "./updates.js";

/** The close code the service sends when the conversation is erased. */
const ERASED_CLOSE_CODE = 4404;

/** What a live subscription needs from its conversation. */
export interface LiveSubscriptionConfig extends SocketConfig {
  reconnect: BackoffOptions;
  callback: UpdateCallback;
  report: (error: Error) => void;
}

type Frame<T extends ServerFrame["type"]> = Extract<ServerFrame, { type: T }>;

/**
 * A subscription over the conversation's WebSocket (src/live/protocol.ts).
 * It remembers the seq of the last operation it delivered and reconnects
 * with `?after=SEQ`, so operations missed while the socket was down arrive
 * as one `resync`: nothing missed, nothing repeated.
 */
export class LiveSubscription implements Subscription {
  readonly ready: Promise<void>;
  readonly #config: LiveSubscriptionConfig;
  #markReady: () => void = () => undefined;
  #lastSeq: number | null = null;
  #replayed: AppliedOperation[] = [];
  #socket: WebSocketLike | null = null;
  #synced = false;
  #lastError: string | null = null;
  #failures = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(config: LiveSubscriptionConfig) {
    this.#config = config;
    this.ready = new Promise((resolve) => (this.#markReady = resolve));
    void this.#connect();
  }

  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#detach()?.close(1000, "closed by client");
    this.#markReady();
  }

  async #connect(): Promise<void> {
    this.#timer = null;
    let socket: WebSocketLike;
    try {
      socket = await openSocket(this.#config, this.#lastSeq);
    } catch (error) {
      this.#config.report(asError(error));
      if (error instanceof ServiceError && !error.transient) this.close();
      else this.#reconnectLater();
      return;
    }
    if (this.#closed) {
      socket.close(1000, "closed by client");
      return;
    }

    this.#socket = socket;
    this.#synced = false;
    this.#lastError = null;
    this.#replayed = [];
    socket.addEventListener("message", (event) => {
      if (socket === this.#socket) this.#onMessage(event.data);
    });
    socket.addEventListener("error", (event) => {
      if (socket === this.#socket) this.#lastError = errorText(event);
    });
    socket.addEventListener("close", (event) => {
      if (socket === this.#socket) this.#onClose(event.code);
    });
  }

  #onMessage(data: unknown): void {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(String(data)) as ServerFrame;
    } catch {
      const message = "The live socket sent a frame that is not JSON.";
      this.#config.report(new ServiceError("invalid_frame", message));
      return;
    }

    switch (frame.type) {
      case "snapshot":
        this.#onSnapshot(frame);
        return;
      case "replay":
        this.#replayed.push(...after(frame.operations, this.#replayEnd()));
        return;
      case "synced":
        this.#onSynced(frame);
        return;
      case "update":
        this.#onUpdate(frame);
        return;
      case "error":
        this.#config.report(
          new ServiceError(frame.error.type, frame.error.message),
        );
        return;
      case "ack":
        // This socket sends no operations, so it has nothing to match.
        return;
    }
  }

  /** A fresh start: sent on a first connect, or when replay cannot be. */
  #onSnapshot(frame: Frame<"snapshot">): void {
    this.#replayed = [];
    this.#deliver({
      kind: "snapshot",
      seq: frame.seq,
      operations: [],
      totals: totalsOf(frame.metrics),
      snapshot: frame.metrics,
    });
    this.#markSynced();
  }

  #onSynced(frame: Frame<"synced">): void {
    const operations = this.#replayed;
    this.#replayed = [];
    this.#deliver({
      kind: "resync",
      seq: frame.seq,
      operations,
      totals: frame.totals,
    });
    this.#markSynced();
  }

  #onUpdate(frame: Frame<"update">): void {
    const lastSeq = this.#lastSeq;
    if (!this.#synced || lastSeq === null || frame.seq <= lastSeq) return;
    const fresh = after(frame.operations, lastSeq);

    // Seqs count up by one; a hole means a frame went missing, and a
    // reconnect after the last seq delivered fills it from storage.
    if (fresh[0] !== undefined && fresh[0].seq !== lastSeq + 1) {
      this.#restart();
      return;
    }
    this.#deliver({
      kind: "update",
      seq: frame.seq,
      operations: fresh,
      totals: frame.totals,
    });
  }

  #replayEnd(): number {
    return this.#replayed.at(-1)?.seq ?? this.#lastSeq ?? 0;
  }

  #deliver(update: MetricsUpdate): void {
    this.#lastSeq = update.seq;
    try {
      this.#config.callback(update);
    } catch (error) {
      this.#config.report(asError(error));
    }
  }

  #markSynced(): void {
    this.#synced = true;
    this.#failures = 0;
    this.#markReady();
  }

  #onClose(code: number): void {
    const synced = this.#synced;
    this.#detach();
    if (this.#closed) return;
    if (code === ERASED_CLOSE_CODE) {
      // The conversation was erased: reconnecting would only meet a 404.
      this.close();
      this.#config.report(
        new ServiceError(
          "conversation_erased",
          "The conversation was erased; the subscription has ended.",
          { transient: false },
        ),
      );
      return;
    }

    const delayMs = this.#reconnectLater();
    if (!synced) {
      // Closing before the opening frames means it could not connect
      // (no such conversation yet, bad credentials, no service): say so.
      const reason = closeReason(code, this.#lastError);
      this.#config.report(
        new ServiceError(
          "socket_closed",
          `The live socket closed before it synced (${reason}); ` +
            `reconnecting in ${Math.round(delayMs)} ms.`,
        ),
      );
    }
  }

  /** Drops the current socket and connects again at once. */
  #restart(): void {
    this.#detach()?.close(1000, "resyncing");
    void this.#connect();
  }

  #reconnectLater(): number {
    const delayMs = backoffDelayMs(this.#failures++, this.#config.reconnect);
    this.#timer = setTimeout(() => void this.#connect(), delayMs);
    return delayMs;
  }

  #detach(): WebSocketLike | null {
    const socket = this.#socket;
    this.#socket = null;
    return socket;
  }
}

/** The operations after `seq`, so a repeat is never delivered. */
function after(
  operations: AppliedOperation[],
  seq: number,
): AppliedOperation[] {
  return operations.filter((op) => op.seq > seq);
}
