import type { ConversationSnapshot } from "../metrics/snapshot-types.js";
import type { OperationsFrame, ServerFrame } from "../live/protocol.js";
import type { OperationInput } from "../operations/schema.js";
import { asError, ServiceError } from "./errors.js";
import type { PostOutcome, Transport } from "./transport.js";
import {
  closeReason,
  errorText,
  openSocket,
  type SocketConfig,
} from "./socket-open.js";
import type { WebSocketLike } from "./transport-types.js";

/**
 * Writes and reads over the conversation's socket, for a client holding a
 * token: the service takes tokens on the socket route only. Each batch is
 * an `operations` frame answered by an `ack` (stored) or an `error` frame
 * (refused for good). A socket that drops before the answer is a
 * transient failure: the queue sends the same ids again and the service
 * reports those it had applied as duplicates.
 */
export class SocketTransport implements Transport {
  readonly #config: SocketConfig;
  readonly #timeoutMs: number;
  #connection: Promise<WebSocketLike> | null = null;
  /** The socket of #connection, once it exists. */
  #current: WebSocketLike | null = null;
  readonly #waiting = new Map<string, (outcome: PostOutcome) => void>();

  constructor(config: SocketConfig, timeoutMs: number) {
    this.#config = config;
    this.#timeoutMs = timeoutMs;
  }

  /** Sends one batch and waits for its answer; never throws. */
  async post(ops: readonly OperationInput[]): Promise<PostOutcome> {
    let socket: WebSocketLike;
    try {
      socket = await this.#connect();
    } catch (error) {
      return failed(error);
    }

    const frame: OperationsFrame = {
      type: "operations",
      request_id: crypto.randomUUID(),
      operations: [...ops],
    };
    return new Promise((resolve) => {
      const finish = (outcome: PostOutcome): void => {
        clearTimeout(timer);
        this.#waiting.delete(frame.request_id);
        resolve(outcome);
      };
      const timer = setTimeout(
        () => finish(failed(this.#timeout("acknowledge the batch"))),
        this.#timeoutMs,
      );
      this.#waiting.set(frame.request_id, finish);

      try {
        socket.send(JSON.stringify(frame));
      } catch (error) {
        finish(failed(error));
      }
    });
  }

  /**
   * The conversation's snapshot: the first frame of a fresh connect.
   * @throws ServiceError when the socket closes or times out first
   */
  snapshot(): Promise<ConversationSnapshot> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(this.#timeout("send a snapshot"));
        socket?.close(1000, "timed out");
      }, this.#timeoutMs);
      let socket: WebSocketLike | null = null;
      let lastError: string | null = null;

      openSocket(this.#config, null).then(
        (opened) => {
          socket = opened;
          opened.addEventListener("message", (event) => {
            const frame = parseFrame(event.data);
            if (frame?.type !== "snapshot") return;
            clearTimeout(timer);
            opened.close(1000, "snapshot read");
            resolve(frame.metrics);
          });
          opened.addEventListener("error", (event) => {
            lastError = errorText(event);
          });
          opened.addEventListener("close", (event) => {
            clearTimeout(timer);
            reject(socketClosed("sent a snapshot", event.code, lastError));
          });
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(asError(error));
        },
      );
    });
  }

  /** Closes the socket; batches waiting for an answer fail transiently. */
  close(): void {
    this.#current?.close(1000, "closed by client");
  }

  #connect(): Promise<WebSocketLike> {
    this.#connection ??= this.#open().catch((error: unknown) => {
      this.#connection = null;
      throw error;
    });
    return this.#connection;
  }

  async #open(): Promise<WebSocketLike> {
    const socket = await openSocket(this.#config, null);
    this.#current = socket;
    let lastError: string | null = null;

    return new Promise((resolve, reject) => {
      socket.addEventListener("open", () => resolve(socket));
      socket.addEventListener("message", (event) => {
        this.#onFrame(parseFrame(event.data));
      });
      socket.addEventListener("error", (event) => {
        lastError = errorText(event);
      });
      socket.addEventListener("close", (event) => {
        const error = socketClosed("answered", event.code, lastError);
        this.#onClose(socket, error);
        reject(error);
      });
    });
  }

  #onFrame(frame: ServerFrame | null): void {
    if (frame?.type === "ack") {
      this.#waiting.get(frame.request_id)?.({ ok: true });
    } else if (frame?.type === "error" && frame.request_id !== undefined) {
      const { type, message } = frame.error;
      this.#waiting.get(frame.request_id)?.({
        ok: false,
        error: new ServiceError(type, message, { transient: false }),
        retryAfterMs: null,
      });
    }
  }

  #onClose(socket: WebSocketLike, error: ServiceError): void {
    if (this.#current === socket) {
      this.#current = null;
      this.#connection = null;
    }
    for (const finish of [...this.#waiting.values()]) finish(failed(error));
  }

  #timeout(what: string): ServiceError {
    return new ServiceError(
      "timeout",
      `The metrics service did not ${what} within ${this.#timeoutMs} ms.`,
    );
  }
}

function failed(error: unknown): PostOutcome {
  const serviceError =
    error instanceof ServiceError
      ? error
      : new ServiceError("network_error", asError(error).message);
  return { ok: false, error: serviceError, retryAfterMs: null };
}

function socketClosed(
  what: string,
  code: number,
  lastError: string | null,
): ServiceError {
  return new ServiceError(
    "socket_closed",
    `The live socket closed before the service ${what} ` +
      `(${closeReason(code, lastError)}).`,
  );
}

function parseFrame(data: unknown): ServerFrame | null {
  try {
    return JSON.parse(String(data)) as ServerFrame;
  } catch {
    return null;
  }
}
