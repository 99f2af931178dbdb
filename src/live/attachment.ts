import { isLiveAccess, type LiveAccess } from "./upgrade.js";

/**
 * What a socket carries through hibernation. It stays this small on
 * purpose: the seq each socket has seen is not kept per socket, because
 * every open socket is always at the same point of the feed (see
 * fan-out.ts), so updating thousands of attachments per frame would buy
 * nothing.
 */
export interface SocketState {
  conversationId: string;
  access: LiveAccess;
}

/** Namespaced, so a later feature can attach its own state beside it. */
interface Attachment {
  live: SocketState;
}

/** Stores a socket's state where it survives hibernation. */
export function attachState(ws: WebSocket, state: SocketState): void {
  const attachment: Attachment = { live: state };
  ws.serializeAttachment(attachment);
}

/** A socket's state, or null when it has none (not one of ours). */
export function socketState(ws: WebSocket): SocketState | null {
  const attachment: unknown = ws.deserializeAttachment();
  if (typeof attachment !== "object" || attachment === null) return null;

  const live: unknown = (attachment as Partial<Attachment>).live;
  if (typeof live !== "object" || live === null) return null;
  const { conversationId, access } = live as Partial<SocketState>;
  if (typeof conversationId !== "string" || !isLiveAccess(access)) {
    return null;
  }
  return { conversationId, access };
}
