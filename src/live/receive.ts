import type { Outcome } from "../conversation/outcome.js";
import type { AppliedBatch } from "../conversation/record-types.js";
import type { Operation } from "../operations/schema.js";
import { socketState } from "./attachment.js";
import { errorFrame, readClientFrame } from "./client-frames.js";
import { sendFrame } from "./send.js";

/** Applies a validated batch and queues its update for every socket. */
export type ApplyBatch = (
  conversationId: string,
  operations: Operation[],
) => Outcome<AppliedBatch>;

/**
 * Answers one frame from a client: operations are applied and
 * acknowledged; anything else gets an error frame and the socket stays
 * open. The acknowledgement goes out before the update that carries the
 * same operations, which the fan-out sends on a later turn.
 */
export function answerFrame(
  ws: WebSocket,
  message: string | ArrayBuffer,
  apply: ApplyBatch,
): void {
  const read = readClientFrame(message);
  if (!read.ok) {
    sendFrame(ws, read.error);
    return;
  }

  const requestId = read.frame.request_id;
  const state = socketState(ws);
  if (state?.access !== "write") {
    const refusal = errorFrame(
      "read_only",
      "This socket was opened with a read token and cannot send " +
        'operations; ask POST /v1/conversations/{id}/tokens for "write".',
      requestId,
    );
    sendFrame(ws, refusal);
    return;
  }

  const outcome = apply(state.conversationId, read.frame.operations);
  if (!outcome.ok) {
    sendFrame(ws, errorFrame(outcome.type, outcome.message, requestId));
    return;
  }
  sendFrame(ws, {
    type: "ack",
    request_id: requestId,
    applied_ids: outcome.value.applied.map((op) => op.id),
    duplicate_ids: outcome.value.result.duplicate_ids,
    seq: outcome.value.result.seq,
  });
}
