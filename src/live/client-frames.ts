import type { Operation } from "../operations/schema.js";
import { validateBatch } from "../operations/validate.js";
import type { ErrorFrame } from "./protocol.js";

/** The longest `request_id` echoed back. */
const MAX_REQUEST_ID_LENGTH = 128;

/** An `operations` frame whose operations passed validation. */
export interface ValidOperationsFrame {
  request_id: string;
  operations: Operation[];
}

/** A client frame read, or the error frame that answers it. */
export type ReadFrame =
  { ok: true; frame: ValidOperationsFrame } | { ok: false; error: ErrorFrame };

/** Builds an error frame; `requestId` is echoed when known. */
export function errorFrame(
  type: string,
  message: string,
  requestId?: string,
): ErrorFrame {
  const frame: ErrorFrame = { type: "error", error: { type, message } };
  if (requestId !== undefined) frame.request_id = requestId;
  return frame;
}

function refuse(type: string, message: string, requestId?: string) {
  return { ok: false as const, error: errorFrame(type, message, requestId) };
}

function parseJson(message: string | ArrayBuffer): unknown {
  if (typeof message !== "string") return undefined;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
}

function requestIdOf(value: unknown): string | undefined {
  const id = (value as { request_id?: unknown }).request_id;
  const fits =
    typeof id === "string" && id !== "" && id.length <= MAX_REQUEST_ID_LENGTH;
  return fits ? id : undefined;
}

/**
 * Reads a frame a client sent: the `operations` frame of protocol.ts, its
 * operations checked by the same `validateBatch` as `POST /operations`.
 * Every refusal is an error frame with a stable `type`; none closes the
 * socket.
 */
export function readClientFrame(message: string | ArrayBuffer): ReadFrame {
  const value = parseJson(message);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return refuse(
      "invalid_json",
      "A frame is one JSON object in a text message, such as " +
        '{"type": "operations", "request_id": "1", "operations": [...]}.',
    );
  }

  const type = (value as { type?: unknown }).type;
  const requestId = requestIdOf(value);
  if (type !== "operations") {
    return refuse(
      "unknown_frame_type",
      `Unknown frame type ${JSON.stringify(type) ?? "(none)"}; the only ` +
        'frame a client sends is "operations".',
      requestId,
    );
  }
  if (requestId === undefined) {
    return refuse(
      "invalid_frame",
      "An operations frame needs a request_id: a string of 1 to " +
        `${MAX_REQUEST_ID_LENGTH} characters, echoed in the answer.`,
    );
  }

  const operations = (value as { operations?: unknown }).operations;
  const batch = validateBatch({ operations });
  if (!batch.ok) return refuse(batch.type, batch.message, requestId);
  return {
    ok: true,
    frame: { request_id: requestId, operations: batch.value },
  };
}
