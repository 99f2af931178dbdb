import { asError, ServiceError } from "./errors.js";
import type {
  WebSocketConstructorLike,
  WebSocketLike,
} from "./transport-types.js";

/** How a connection authenticates: a query token or a header. */
export type SocketAuth = { token: string } | { authorization: string };

/** What opening a conversation's socket needs. */
export interface SocketConfig {
  /** The socket URL for a connect after `after` (null: a fresh one). */
  url: (after: number | null, token: string | null) => string;
  /** Read before every connect, so a short-lived token can be renewed. */
  auth: () => Promise<SocketAuth>;
  WebSocket: WebSocketConstructorLike | undefined;
}

/**
 * Starts connecting to the conversation's socket. A token goes in the
 * query, since browsers cannot set headers on a WebSocket; an API key goes
 * in the Authorization header through `{ headers }`, which `ws` and Deno
 * accept.
 * @throws ServiceError `socket_unsupported` when that cannot be done
 */
export async function openSocket(
  config: SocketConfig,
  after: number | null,
): Promise<WebSocketLike> {
  const Socket = config.WebSocket;
  if (Socket === undefined) {
    throw new ServiceError(
      "socket_unsupported",
      "This runtime has no global WebSocket: pass one as the WebSocket " +
        "option (in Node 20, the ws package's WebSocket).",
      { transient: false },
    );
  }

  const auth = await config.auth();
  if ("token" in auth) return new Socket(config.url(after, auth.token));

  const url = config.url(after, null);
  try {
    return new Socket(url, {
      headers: { authorization: auth.authorization },
    });
  } catch (error) {
    throw new ServiceError(
      "socket_unsupported",
      "This WebSocket cannot send an Authorization header (browsers " +
        "cannot): open the conversation with a token from POST " +
        "/v1/conversations/{id}/tokens instead of an API key. " +
        `(${asError(error).message})`,
      { transient: false },
    );
  }
}

/** Why a socket closed, in a sentence: its code and any error text. */
export function closeReason(code: number, errorText: string | null): string {
  return errorText === null ? `code ${code}` : `code ${code}: ${errorText}`;
}

/** The text of a socket error event, where the runtime gives one. */
export function errorText(event: { message?: unknown }): string | null {
  return typeof event.message === "string" && event.message !== ""
    ? event.message
    : null;
}
