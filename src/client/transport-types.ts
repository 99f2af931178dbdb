/**
 * The smallest shapes of `fetch` and `WebSocket` the client uses, so that
 * the platform's own (browsers, Deno, Node >= 22), the `ws` package in
 * Node 20, or a test double all fit without a cast.
 */

/** What the client reads from a response. */
export interface ResponseLike {
  readonly status: number;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** What the client passes to `fetch`. */
export interface RequestInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** A `fetch` function: the global one, or one injected for tests. */
export type FetchLike = (
  url: string,
  init: RequestInitLike,
) => Promise<ResponseLike>;

/** The events of a socket the client listens to. */
export interface SocketMessageEvent {
  readonly data: unknown;
}

/** ws and Deno say why a socket failed; browsers do not. */
export interface SocketErrorEvent {
  readonly message?: unknown;
}

export interface SocketCloseEvent {
  readonly code: number;
  readonly reason: string;
}

/** A connected or connecting WebSocket. */
export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(
    type: "message",
    listener: (event: SocketMessageEvent) => void,
  ): void;
  addEventListener(
    type: "close",
    listener: (event: SocketCloseEvent) => void,
  ): void;
  addEventListener(
    type: "error",
    listener: (event: SocketErrorEvent) => void,
  ): void;
  addEventListener(type: "open", listener: () => void): void;
}

/** Options the client passes when it has headers to send. */
export interface WebSocketInitLike {
  headers: Record<string, string>;
}

/**
 * A WebSocket constructor. The second argument is given only with an API
 * key: the `ws` package and Deno take `{ headers }` there; a browser's
 * WebSocket does not, which is why browsers use a token instead.
 */
export type WebSocketConstructorLike = new (
  url: string,
  init?: WebSocketInitLike,
) => WebSocketLike;
