/**
 * Many WebSocket clients of one conversation's live feed, in this process,
 * with the `ws` package. Each client reads only the head of each frame
 * (`{"type":"…","seq":N`), so the load generator spends little per frame.
 */
import { performance } from "node:perf_hooks";
import { clearTimeout, setTimeout } from "node:timers";
import WebSocket from "ws";

const HEAD = /^\{"type":"(\w+)","seq":(\d+)/;

/** The `seq` a frame carries, or -1. */
function seqOf(data) {
  const head = HEAD.exec(data.subarray(0, 64).toString("latin1"));
  return head ? Number(head[2]) : -1;
}

/** Sockets to one URL, and the time each one saw a given seq. */
export class SocketFleet {
  /** @type {WebSocket[]} */
  sockets = [];
  /** Closes or errors after opening: a socket the server dropped. */
  dropped = 0;
  /**
   * The seq being watched for, and when each socket saw it.
   * @type {{seq: number, times: Float64Array, seen: Uint8Array,
   *   count: number, done: () => void} | null}
   */
  #watch = null;

  /**
   * @param {string} url ws://127.0.0.1:PORT/v1/conversations/ID/ws
   * @param {Record<string, string>} headers
   */
  constructor(url, headers) {
    this.url = url;
    this.headers = headers;
  }

  /**
   * Opens sockets until `total` are open, `inflight` at a time; each counts
   * once its first frame (the snapshot) arrived.
   * @returns {Promise<{opened: number, error: string | null}>}
   */
  async grow(total, inflight, timeoutMs) {
    const deadline = performance.now() + timeoutMs;
    let error = null;
    // Counted as they start, so no step opens more than it asked for.
    let started = this.sockets.length;
    const loop = async () => {
      while (started < total && error === null) {
        if (performance.now() > deadline) {
          error = `not all open after ${timeoutMs} ms`;
          break;
        }
        started += 1;
        try {
          this.sockets.push(await this.#open());
        } catch (cause) {
          error = cause instanceof Error ? cause.message : String(cause);
        }
      }
    };
    await Promise.all(Array.from({ length: inflight }, loop));
    return { opened: this.sockets.length, error };
  }

  #open() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, {
        headers: this.headers,
        perMessageDeflate: false,
      });
      const index = this.sockets.length;
      let open = false;
      ws.once("message", () => {
        open = true;
        resolve(ws);
      });
      ws.on("message", (data) => this.#seen(ws, data));
      ws.once("unexpected-response", (_req, res) =>
        reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
      );
      // After an error a close follows, which counts the drop.
      ws.once("error", (cause) => {
        if (!open) reject(cause);
      });
      ws.once("close", () => {
        if (open) this.dropped += 1;
        else reject(new Error(`closed before its first frame (#${index})`));
      });
    });
  }

  #seen(ws, data) {
    const watch = this.#watch;
    if (watch === null || seqOf(data) < watch.seq) return;
    const index = /** @type {number} */ (ws.benchIndex);
    if (watch.seen[index]) return;
    watch.seen[index] = 1;
    watch.times[index] = performance.now();
    watch.count += 1;
    if (watch.count === this.sockets.length) watch.done();
  }

  /**
   * Waits until every socket saw a frame with `seq` or later, while
   * `trigger` runs.
   * @param {number} seq
   * @param {() => Promise<void>} trigger
   * @param {number} timeoutMs
   * @returns {Promise<Float64Array | null>} arrival times, null on timeout
   */
  async watch(seq, trigger, timeoutMs) {
    this.sockets.forEach((ws, index) => {
      ws.benchIndex = index;
    });
    const n = this.sockets.length;
    let timer;
    const all = new Promise((resolve) => {
      this.#watch = {
        seq,
        times: new Float64Array(n),
        seen: new Uint8Array(n),
        count: 0,
        done: () => resolve(true),
      };
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    await trigger();
    const complete = await all;
    clearTimeout(timer);
    const times = this.#watch?.times ?? null;
    this.#watch = null;
    return complete ? times : null;
  }

  /** Closes every socket and waits a little for the closes to go out. */
  async close() {
    for (const ws of this.sockets) ws.terminate();
    this.sockets = [];
  }
}
