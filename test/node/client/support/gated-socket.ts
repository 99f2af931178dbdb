import WebSocket from "ws";
import type { WebSocketConstructorLike } from "../../../../src/client/index.js";

/** A WebSocket class whose connections a test can cut and hold off. */
export interface GatedSocket {
  WebSocket: WebSocketConstructorLike;
  /** Every URL the client asked for, in order. */
  urls: string[];
  /** Cuts the current connection as a network failure would. */
  cut(): void;
  /** While held, new connections go to a closed port and fail. */
  hold(held: boolean): void;
}

/**
 * The `ws` WebSocket with a switch in front: lets a test drop the socket
 * and keep it down while operations are written, so the reconnect must
 * replay them from storage.
 */
export function gatedSocket(): GatedSocket {
  const urls: string[] = [];
  const sockets: WebSocket[] = [];
  let held = false;

  class Gated extends WebSocket {
    constructor(url: string, init?: { headers: Record<string, string> }) {
      // Port 1 on loopback: nothing listens, the connect fails at once.
      super(held ? url.replace(/:\d+\//, ":1/") : url, init);
      urls.push(url);
      sockets.push(this);
    }
  }

  return {
    WebSocket: Gated,
    urls,
    cut: () => sockets.at(-1)?.terminate(),
    hold: (value) => {
      held = value;
    },
  };
}
