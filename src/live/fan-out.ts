import type { ConversationTotals } from "../metrics/snapshot-types.js";
import type { AppliedOperation } from "../operations/applied.js";
import type { UpdateFrame } from "./protocol.js";
import { sendText } from "./send.js";

/** Operations applied within this window after a frame share the next. */
export const COALESCE_WINDOW_MS = 25;

/** This many waiting operations go out at once, without the window. */
export const COALESCE_MAX_OPERATIONS = 50;

/** Where the fan-out finds its sockets and the totals to send. */
export interface FanOutSource {
  sockets(): WebSocket[];
  /** Whether any socket is open: cheaper than listing them. */
  hasSockets(): boolean;
  /** The conversation's totals now; null when it does not exist. */
  totals(): ConversationTotals | null;
}

/**
 * Sends applied operations to every open socket as `update` frames.
 *
 * Coalescing rule: at most one frame per COALESCE_WINDOW_MS, except that
 * COALESCE_MAX_OPERATIONS waiting operations go out at once. The first
 * operation after a quiet spell goes out at once too (on the next turn of
 * the event loop, so the write that caused it answers first). A batch is
 * never split, since a frame's totals are those after its last operation:
 * one large batch is one large frame. Nothing is dropped: every operation
 * applied waits here until a frame carries it.
 *
 * Invariant: the waiting operations are exactly those applied since the
 * last frame, so every open socket has seen the same seq. A socket is
 * opened only after `flush()`, which keeps the invariant; and the object
 * cannot hibernate while a timer is pending, so nothing waits across one.
 */
export class UpdateFanOut {
  readonly #source: FanOutSource;
  #waiting: AppliedOperation[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #dueAt = 0;
  #lastSentAt = 0;

  constructor(source: FanOutSource) {
    this.#source = source;
  }

  /** Queues operations just applied; an empty list changes nothing. */
  publish(operations: readonly AppliedOperation[]): void {
    // With no socket open nobody waits for a frame, and a socket that
    // opens later starts from a snapshot or a replay from storage.
    if (operations.length === 0 || !this.#source.hasSockets()) return;
    for (const op of operations) this.#waiting.push(op);

    const now = Date.now();
    const full = this.#waiting.length >= COALESCE_MAX_OPERATIONS;
    const windowEnd = this.#lastSentAt + COALESCE_WINDOW_MS;
    this.#schedule(full ? now : Math.max(now, windowEnd), now);
  }

  /**
   * Sends what waits now, as one frame serialised once and sent as the
   * same string to every socket.
   */
  flush(): void {
    this.#cancel();
    const operations = this.#waiting;
    const last = operations.at(-1);
    if (last === undefined) return;

    this.#waiting = [];
    this.#lastSentAt = Date.now();
    const totals = this.#source.totals();
    if (totals === null) return;

    const frame: UpdateFrame = {
      type: "update",
      seq: last.seq,
      operations,
      totals,
    };
    const text = JSON.stringify(frame);
    for (const ws of this.#source.sockets()) sendText(ws, text);
  }

  #schedule(dueAt: number, now: number): void {
    if (this.#timer !== null && this.#dueAt <= dueAt) return;

    this.#cancel();
    this.#dueAt = dueAt;
    this.#timer = setTimeout(() => this.flush(), dueAt - now);
  }

  #cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
