/**
 * A refusal from the conversation object, carried back over RPC as a plain
 * value (thrown errors lose their fields crossing RPC). The HTTP layer turns
 * it into `{"error": {"type", "message"}}` with `status`.
 */
export interface Refusal {
  ok: false;
  status: 400 | 402 | 404 | 409 | 413 | 422;
  type: string;
  message: string;
}

/** A result or a refusal. */
export type Outcome<T> = { ok: true; value: T } | Refusal;

/** Wraps a value as a successful outcome. */
export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}

/** Builds a refusal. */
export function refuse(
  status: Refusal["status"],
  type: string,
  message: string,
): Refusal {
  return { ok: false, status, type, message };
}

/** The refusal for a conversation that does not exist. */
export function notFound(conversationId: string): Refusal {
  return refuse(
    404,
    "not_found",
    `Conversation "${conversationId}" does not exist. Create it with ` +
      `POST /v1/conversations or by posting its first operation.`,
  );
}
