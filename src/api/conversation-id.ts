import type { ConversationMetrics } from "../conversation/conversation-metrics.js";
import { HttpError } from "./http-error.js";

const CONVERSATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Checks a conversation id from a path or body.
 * @throws HttpError 400 invalid_conversation_id
 */
export function checkConversationId(id: string): string {
  if (!CONVERSATION_ID.test(id)) {
    throw new HttpError(
      400,
      "invalid_conversation_id",
      "A conversation id is 1 to 128 letters, digits or _ . : - and " +
        "starts with a letter or digit.",
    );
  }
  return id;
}

/** The stub of a conversation's Durable Object, one per id. */
export function conversationStub(
  env: Env,
  id: string,
): DurableObjectStub<ConversationMetrics> {
  const namespace = env.CONVERSATIONS;
  return namespace.get(namespace.idFromName(checkConversationId(id)));
}
