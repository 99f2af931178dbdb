/**
 * The WebSocket protocol of `GET /v1/conversations/{id}/ws`. Every frame is
 * one JSON object with a `type`.
 *
 * Connecting without `?after=SEQ`: the server sends one `snapshot`, then
 * live `update` frames. Connecting with `?after=SEQ` (the last seq the
 * client saw): the server sends `replay` frames with every operation after
 * SEQ, from storage, then one `synced` frame with the current totals, then
 * live `update` frames. Either way no operation is missed or repeated.
 *
 * Server behaviour around these frames (src/live/):
 * - an unknown conversation is refused with 404 before the upgrade;
 * - with `?after=SEQ` ahead of the conversation (erased and made again) or
 *   more than 10,000 operations behind, the server sends a `snapshot`
 *   instead of a replay, as on a fresh connect;
 * - `update` frames coalesce bursts: at most one per 25 ms unless 50
 *   operations wait; one batch is never split, so a frame may carry more;
 * - error `type`s: invalid_json, unknown_frame_type, invalid_frame,
 *   invalid_request, batch_too_large, read_only, or a refusal of the
 *   record such as total_too_large; the socket stays open after each;
 * - erasing the conversation closes its sockets with code 4404.
 */
import type { OperationInput } from "../operations/schema.js";
import type { AppliedOperation } from "../operations/applied.js";
import type {
  ConversationSnapshot,
  ConversationTotals,
} from "../metrics/snapshot-types.js";

/** The current record, sent once on a fresh connect. */
export interface SnapshotFrame {
  type: "snapshot";
  seq: number;
  metrics: ConversationSnapshot;
}

/** Operations the client missed, oldest first, sent after a reconnect. */
export interface ReplayFrame {
  type: "replay";
  seq: number;
  operations: AppliedOperation[];
}

/** The end of a replay: live updates follow. */
export interface SyncedFrame {
  type: "synced";
  seq: number;
  totals: ConversationTotals;
}

/**
 * Operations applied since the previous frame (bursts coalesced), and the
 * totals after them. `seq` is the seq of the last operation in the frame.
 */
export interface UpdateFrame {
  type: "update";
  seq: number;
  operations: AppliedOperation[];
  totals: ConversationTotals;
}

/** The answer to an `operations` frame the client sent. */
export interface AckFrame {
  type: "ack";
  request_id: string;
  applied_ids: string[];
  duplicate_ids: string[];
  seq: number;
}

/** A refused frame; the socket stays open. */
export interface ErrorFrame {
  type: "error";
  request_id?: string;
  error: { type: string; message: string };
}

export type ServerFrame =
  | SnapshotFrame
  | ReplayFrame
  | SyncedFrame
  | UpdateFrame
  | AckFrame
  | ErrorFrame;

/** Operations sent over the socket: the same shapes as the HTTP API. */
export interface OperationsFrame {
  type: "operations";
  /** Echoed in the `ack` or `error` frame. */
  request_id: string;
  operations: OperationInput[];
}

export type ClientFrame = OperationsFrame;
