import type { ServerFrame } from "./protocol.js";

/** The close code for a socket the server could not write to. */
const INTERNAL_ERROR_CLOSE = 1011;

/**
 * Sends text to one socket. A socket that cannot take it is closed with
 * 1011 rather than thrown from: one broken client must not fail the write
 * that triggered the send, nor stop the frame reaching the others.
 * @returns whether the text was handed to the socket
 */
export function sendText(ws: WebSocket, text: string): boolean {
  try {
    ws.send(text);
    return true;
  } catch (error) {
    console.log(
      JSON.stringify({
        message: "ConversationMetrics: socket send failed, closing it",
        error: error instanceof Error ? error.message : String(error),
      }),
    );
    closeQuietly(ws, INTERNAL_ERROR_CLOSE, "send failed");
    return false;
  }
}

/** Serialises a frame and sends it to one socket. */
export function sendFrame(ws: WebSocket, frame: ServerFrame): boolean {
  return sendText(ws, JSON.stringify(frame));
}

/** Closes a socket, ignoring one that is closed already. */
export function closeQuietly(ws: WebSocket, code: number, reason: string) {
  try {
    ws.close(code, reason);
  } catch {
    // Closed or closing already: nothing left to do.
  }
}
