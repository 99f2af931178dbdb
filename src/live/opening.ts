import type { ConversationRecord } from "../conversation/record.js";
import { MAX_OPERATIONS_PER_BATCH } from "../operations/schema.js";
import { sendFrame } from "./send.js";

/** The most operations one `replay` frame carries. */
const REPLAY_PAGE_SIZE = MAX_OPERATIONS_PER_BATCH;

/**
 * A client further behind than this gets a fresh snapshot instead of a
 * replay: a replay runs whole inside one event (see below), so its length
 * is bounded to keep the object answering. Ten pages of history.
 */
export const MAX_REPLAY_OPERATIONS = 10 * REPLAY_PAGE_SIZE;

/**
 * Sends a new socket where the feed stands: a `snapshot`, or with `after`
 * the `replay` frames of every operation after it and then `synced`.
 *
 * Runs synchronously from start to end (SQLite reads in a Durable Object
 * are synchronous, and nothing here awaits), so no operation can be
 * applied between the last opening frame and the first update: the socket
 * misses nothing and sees nothing twice. A client whose `after` is ahead
 * of the conversation (it was erased and made again) or more than
 * MAX_REPLAY_OPERATIONS behind gets a snapshot, as on a fresh connect.
 * @returns whether every frame was handed to the socket
 */
export function sendOpening(
  ws: WebSocket,
  record: ConversationRecord,
  after: number | null,
): boolean {
  const seq = record.seq;
  const replayable =
    after !== null && after <= seq && seq - after <= MAX_REPLAY_OPERATIONS;
  if (!replayable) return sendSnapshot(ws, record);

  for (let cursor = after; cursor < seq;) {
    const operations = record.history(cursor, REPLAY_PAGE_SIZE) ?? [];
    const last = operations.at(-1);
    if (last === undefined) break;
    if (!sendFrame(ws, { type: "replay", seq: last.seq, operations })) {
      return false;
    }
    cursor = last.seq;
  }

  const totals = record.totals();
  return totals !== null && sendFrame(ws, { type: "synced", seq, totals });
}

function sendSnapshot(ws: WebSocket, record: ConversationRecord): boolean {
  const metrics = record.snapshot();
  if (metrics === null) return false;
  return sendFrame(ws, { type: "snapshot", seq: metrics.seq, metrics });
}
