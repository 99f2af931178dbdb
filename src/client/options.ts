import type { BackoffOptions } from "./backoff.js";
import { MAX_OPERATIONS_PER_BATCH } from "./limits.js";
import type { FetchLike, WebSocketConstructorLike } from "./transport-types.js";
import type { RetryOptions } from "./write-queue.js";

/** A token, or a function that returns a fresh one before each use. */
export type TokenSource = string | (() => string | Promise<string>);

/** How to open a conversation handle. */
export interface ConversationOptions {
  /**
   * The service, for example `https://metrics.example.com` (a path prefix
   * is kept). Left out, the handle keeps a local in-memory record.
   */
  baseUrl?: string;
  /** The conversation; required with `baseUrl`, random when local. */
  conversationId?: string;
  /** An API key, for servers and scripts; never ship one to a browser. */
  apiKey?: string;
  /**
   * A token from `POST /v1/conversations/{id}/tokens`, for browsers, or a
   * function that returns a fresh one (read before every connect, so a
   * short-lived token can be renewed). The service takes tokens on the
   * conversation's socket only, so with a token every write and read goes
   * over the socket; writing needs a "write" token, and the conversation
   * must exist (whoever issues the token can create it).
   */
  token?: TokenSource;
  /** Defaults to the global `fetch`; used with an API key. */
  fetch?: FetchLike;
  /**
   * Defaults to the global `WebSocket`. Node 20 has none: pass the `ws`
   * package's. With an API key the client passes `{ headers }` as the
   * second argument, which `ws` and Deno accept and browsers do not.
   */
  WebSocket?: WebSocketConstructorLike;
  batch?: {
    /** Operations per request, 1 to 1000; default 1000. */
    maxOperations?: number;
    /** How long a first queued operation waits for company; default 20. */
    lingerMs?: number;
  };
  /** Retries of a batch on network failures, 5xx and 429. */
  retry?: Partial<RetryOptions>;
  /** Waits between reconnects of a subscription's socket. */
  reconnect?: Partial<BackoffOptions>;
  /** How long one request may take before it is retried; default 30 s. */
  requestTimeoutMs?: number;
  /**
   * Told of every failure that happens in the background: a batch given
   * up, a socket that could not connect, a subscriber that threw. Without
   * it they are logged to the console as JSON lines.
   */
  onError?: (error: Error) => void;
}

/** Options with every default filled in and every value checked. */
export interface ResolvedOptions {
  remote: {
    baseUrl: string;
    credential: { apiKey: string } | { token: TokenSource };
  } | null;
  conversationId: string;
  fetch: FetchLike;
  WebSocket: WebSocketConstructorLike | undefined;
  maxBatch: number;
  lingerMs: number;
  retry: RetryOptions;
  reconnect: BackoffOptions;
  requestTimeoutMs: number;
  onError: (error: Error) => void;
}

/**
 * Fills in defaults and checks the options, naming the option at fault.
 * @throws TypeError for a missing or invalid option
 */
export function resolveOptions(options: ConversationOptions): ResolvedOptions {
  const batch = options.batch ?? {};
  return {
    remote: resolveRemote(options),
    conversationId: options.conversationId ?? crypto.randomUUID(),
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    WebSocket:
      options.WebSocket ??
      (Reflect.get(globalThis, "WebSocket") as
        WebSocketConstructorLike | undefined),
    maxBatch: whole(
      "batch.maxOperations",
      batch.maxOperations ?? MAX_OPERATIONS_PER_BATCH,
      1,
      MAX_OPERATIONS_PER_BATCH,
    ),
    lingerMs: whole("batch.lingerMs", batch.lingerMs ?? 20, 0, 60_000),
    retry: {
      maxAttempts: whole(
        "retry.maxAttempts",
        options.retry?.maxAttempts ?? 10,
        1,
        Number.MAX_SAFE_INTEGER,
      ),
      ...delays("retry", options.retry, 100, 10_000),
    },
    reconnect: delays("reconnect", options.reconnect, 250, 15_000),
    requestTimeoutMs: whole(
      "requestTimeoutMs",
      options.requestTimeoutMs ?? 30_000,
      1,
      600_000,
    ),
    onError: options.onError ?? logError,
  };
}

function resolveRemote(
  options: ConversationOptions,
): ResolvedOptions["remote"] {
  if (options.baseUrl === undefined) return null;

  let url: URL;
  try {
    url = new URL(options.baseUrl);
  } catch {
    throw new TypeError(
      `baseUrl must be an absolute http(s) URL; got "${options.baseUrl}".`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("baseUrl must start with http:// or https://.");
  }
  if (!options.conversationId) {
    throw new TypeError("conversationId is required with baseUrl.");
  }

  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  if (options.apiKey !== undefined && options.token === undefined) {
    return { baseUrl, credential: { apiKey: options.apiKey } };
  }
  if (options.token !== undefined && options.apiKey === undefined) {
    return { baseUrl, credential: { token: options.token } };
  }
  throw new TypeError(
    "Give exactly one of apiKey (servers, scripts) or token (browsers).",
  );
}

function delays(
  name: string,
  given: Partial<BackoffOptions> | undefined,
  initialDelayMs: number,
  maxDelayMs: number,
): BackoffOptions {
  const initial = whole(
    `${name}.initialDelayMs`,
    given?.initialDelayMs ?? initialDelayMs,
    0,
    600_000,
  );
  const max = whole(
    `${name}.maxDelayMs`,
    given?.maxDelayMs ?? Math.max(maxDelayMs, initial),
    initial,
    600_000,
  );
  return { initialDelayMs: initial, maxDelayMs: max };
}

function whole(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(
      `${name} must be a whole number from ${min} to ${max}.`,
    );
  }
  return value;
}

/** The fallback error handler: one JSON line, no credentials in it. */
function logError(error: Error): void {
  const fields = error as Error & {
    type?: string;
    status?: number;
    operations?: readonly unknown[];
  };
  console.error(
    JSON.stringify({
      message: "conversation-metrics client error",
      name: error.name,
      type: fields.type,
      status: fields.status,
      operations: fields.operations?.length,
      error: error.message,
    }),
  );
}
