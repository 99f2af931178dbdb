import { createExecutionContext, env } from "cloudflare:test";
import worker from "../../../src/index.js";
import type { ClientFrame, ServerFrame } from "../../../src/live/protocol.js";
import { API_KEY, call } from "../helpers.js";

/** How long a test waits for a frame before it fails: generous. */
const FRAME_TIMEOUT_MS = 10_000;

/** How to open a socket. */
export interface ConnectOptions {
  /** Defaults to API_KEY; null sends no Authorization header. */
  key?: string | null;
  token?: string;
  after?: number;
  /** Send `Upgrade: websocket` (the default). */
  upgrade?: boolean;
  /** The Worker's env; defaults to the test env. */
  env?: Env;
}

/** A client frame, loosely typed so a test can send what clients send. */
export type TestClientFrame =
  ClientFrame | { type: string; request_id?: string; operations?: unknown[] };

type FrameOf<K extends ServerFrame["type"]> = Extract<ServerFrame, { type: K }>;

interface Waiter {
  matches: (frame: ServerFrame) => boolean;
  resolve: (frame: ServerFrame) => void;
}

/**
 * The client end of a live socket. Every frame is kept in order; tests
 * wait for a frame by its content, never by sleeping, since coalescing
 * decides when a frame goes out.
 */
export class LiveSocket {
  readonly frames: ServerFrame[] = [];
  /** Resolves with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly #ws: WebSocket;
  readonly #waiters = new Set<Waiter>();

  constructor(ws: WebSocket) {
    this.#ws = ws;
    this.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) =>
        resolve({ code: event.code, reason: event.reason }),
      );
    });
    // The listener goes on before accept(), or the first frame is lost.
    ws.addEventListener("message", (event) => {
      const frame = JSON.parse(String(event.data)) as ServerFrame;
      this.frames.push(frame);
      for (const waiter of this.#waiters) {
        if (waiter.matches(frame)) waiter.resolve(frame);
      }
    });
    ws.accept();
  }

  /** The first frame (received already or later) that matches. */
  next(matches: (frame: ServerFrame) => boolean): Promise<ServerFrame> {
    const found = this.frames.find(matches);
    if (found) return Promise.resolve(found);

    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve: (frame) => {
          clearTimeout(timer);
          this.#waiters.delete(waiter);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const seen = this.frames.map((frame) => frame.type).join(", ");
        reject(new Error(`no matching frame in time; got: ${seen}`));
      }, FRAME_TIMEOUT_MS);
      this.#waiters.add(waiter);
    });
  }

  /** The first frame of `type` (received already or later) that matches. */
  async waitFor<K extends ServerFrame["type"]>(
    type: K,
    matches: (frame: FrameOf<K>) => boolean = () => true,
  ): Promise<FrameOf<K>> {
    const isWanted = (frame: ServerFrame): frame is FrameOf<K> =>
      frame.type === type && matches(frame as FrameOf<K>);
    const frame = await this.next(isWanted);
    if (!isWanted(frame)) throw new Error("unreachable: frame type changed");
    return frame;
  }

  /** The first update or replay frame that carries operation `id`. */
  waitForOperation(id: string): Promise<ServerFrame> {
    return this.next(
      (frame) =>
        (frame.type === "update" || frame.type === "replay") &&
        frame.operations.some((op) => op.id === id),
    );
  }

  /** The seq of every operation received, in the order received. */
  operationSeqs(): number[] {
    return this.frames.flatMap((frame) =>
      frame.type === "update" || frame.type === "replay"
        ? frame.operations.map((op) => op.seq)
        : [],
    );
  }

  /** Sends a frame as JSON, or a raw string as is. */
  send(frame: TestClientFrame | string): void {
    this.#ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Closes the socket; one closed already is left alone. */
  close(): void {
    if (this.#ws.readyState === WebSocket.OPEN) {
      this.#ws.close(1000, "test done");
    }
  }
}

/** Requests the socket route and returns the raw response. */
export async function requestSocket(
  conversationId: string,
  options: ConnectOptions = {},
): Promise<Response> {
  const url = new URL(
    `http://metrics.test/v1/conversations/${conversationId}/ws`,
  );
  if (options.token !== undefined) url.searchParams.set("token", options.token);
  if (options.after !== undefined) {
    url.searchParams.set("after", String(options.after));
  }

  const headers = new Headers();
  if (options.upgrade ?? true) headers.set("upgrade", "websocket");
  const key = options.key === undefined ? API_KEY : options.key;
  if (key !== null) headers.set("authorization", `Bearer ${key}`);

  const request = new Request(url, { headers });
  return worker.fetch(request, options.env ?? env, createExecutionContext());
}

const opened: LiveSocket[] = [];

/** Closes every socket a test opened and waits until they are closed. */
export async function closeOpenSockets(): Promise<void> {
  const sockets = opened.splice(0);
  for (const socket of sockets) socket.close();
  await Promise.all(sockets.map((socket) => socket.closed));
}

/** Opens a socket, failing the test unless the upgrade succeeds. */
export async function openSocket(
  conversationId: string,
  options: ConnectOptions = {},
): Promise<LiveSocket> {
  const res = await requestSocket(conversationId, options);
  const ws = res.webSocket;
  if (res.status !== 101 || ws === null) {
    throw new Error(`expected 101, got ${res.status}: ${await res.text()}`);
  }
  const socket = new LiveSocket(ws);
  opened.push(socket);
  return socket;
}

/** Creates a conversation with `id`, so a socket can open on it. */
export async function createConversation(id: string): Promise<void> {
  const res = await call("POST", "/v1/conversations", {
    body: { conversation_id: id },
  });
  if (res.status !== 201) throw new Error(`create failed: ${res.status}`);
}

/** The seqs from `first` to `last`, inclusive. */
export function seqRange(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
