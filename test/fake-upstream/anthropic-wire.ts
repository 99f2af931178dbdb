/**
 * The fake upstream's Anthropic Messages bodies. Anthropic's
 * `input_tokens` EXCLUDES cache reads and writes, so it is the normalised
 * prompt minus both.
 */
import { FAKE_REPLY_PIECES, type FakeBehaviour } from "./behaviour.js";
import type { FakeRequest } from "./openai-wire.js";

/** The usage object in Anthropic's convention. */
export function anthropicUsage(
  b: FakeBehaviour,
  outputTokens: number,
): Record<string, unknown> {
  return {
    input_tokens: b.promptTokens - b.cacheReadTokens - b.cacheWriteTokens,
    cache_creation_input_tokens: b.cacheWriteTokens,
    cache_read_input_tokens: b.cacheReadTokens,
    output_tokens: outputTokens,
  };
}

/** A complete message. */
export function anthropicJson(b: FakeBehaviour, request: FakeRequest): object {
  return {
    ...message(b, request),
    content: [{ type: "text", text: FAKE_REPLY_PIECES.join("") }],
    stop_reason: "end_turn",
    ...(b.noUsage ? {} : { usage: anthropicUsage(b, b.completionTokens) }),
  };
}

/** The events of a streamed message, each ready for the wire. */
export function anthropicEvents(
  b: FakeBehaviour,
  request: FakeRequest,
): string[] {
  const usage = (output: number) =>
    b.noUsage ? {} : { usage: anthropicUsage(b, output) };

  const events = [
    event("message_start", {
      message: { ...message(b, request), content: [], ...usage(1) },
    }),
    event("content_block_start", {
      index: 0,
      content_block: { type: "text", text: "" },
    }),
    event("ping", {}),
  ];
  FAKE_REPLY_PIECES.forEach((text, index) => {
    events.push(
      event("content_block_delta", {
        index: 0,
        delta: { type: "text_delta", text },
      }),
    );
    if (index === 0 && b.malformed) {
      events.push("event: content_block_delta\ndata: {not json\n\n");
    }
  });
  events.push(
    event("content_block_stop", { index: 0 }),
    event("message_delta", {
      delta: { stop_reason: "end_turn", stop_sequence: null },
      ...(b.noUsage ? {} : { usage: { output_tokens: b.completionTokens } }),
    }),
    event("message_stop", {}),
  );
  return events;
}

/** Anthropic's error body. */
export function anthropicError(status: number): object {
  return {
    type: "error",
    error: {
      type: status >= 500 ? "api_error" : "invalid_request_error",
      message: `The fake upstream failed with status ${status}.`,
    },
  };
}

function message(b: FakeBehaviour, request: FakeRequest): object {
  return {
    id: "msg_fake_0001",
    type: "message",
    role: "assistant",
    model: b.answerModel ?? request.model,
    stop_sequence: null,
  };
}

function event(type: string, value: object): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...value })}\n\n`;
}
