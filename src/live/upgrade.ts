/**
 * The contract between the Worker and the conversation object for opening a
 * socket. The Worker authenticates the caller and builds this request from
 * scratch, so no header a client sent reaches the object: the object's
 * `fetch` is reachable only through its stub, and trusts these headers.
 */

/** What a socket may do: read the feed, or also send operations. */
export type LiveAccess = "read" | "write";

/** What the object needs to open a socket. */
export interface UpgradeOptions {
  conversationId: string;
  access: LiveAccess;
  /** The last seq the client saw; null for a fresh connect. */
  after: number | null;
}

const ACCESS_HEADER = "x-live-access";
const AFTER_HEADER = "x-live-after";
const CONVERSATION_HEADER = "x-live-conversation";

/** Whether `value` names an access level. */
export function isLiveAccess(value: unknown): value is LiveAccess {
  return value === "read" || value === "write";
}

/** The upgrade request the Worker forwards to the conversation's object. */
export function upgradeRequest(options: UpgradeOptions): Request {
  const headers = new Headers({
    upgrade: "websocket",
    [ACCESS_HEADER]: options.access,
    [CONVERSATION_HEADER]: options.conversationId,
  });
  if (options.after !== null) headers.set(AFTER_HEADER, String(options.after));
  return new Request("https://conversation.internal/ws", { headers });
}

/**
 * Reads what the Worker put in an upgrade request; null when it is not one
 * (a request the Worker did not build).
 */
export function readUpgrade(request: Request): UpgradeOptions | null {
  const access = request.headers.get(ACCESS_HEADER);
  const conversationId = request.headers.get(CONVERSATION_HEADER);
  const rawAfter = request.headers.get(AFTER_HEADER);
  if (!isLiveAccess(access) || conversationId === null) return null;

  const after = rawAfter === null ? null : Number(rawAfter);
  if (after !== null && !(Number.isSafeInteger(after) && after >= 0)) {
    return null;
  }
  return { conversationId, access, after };
}
