/**
 * The fake upstream's OpenAI chat completions bodies: a `chat.completion`
 * object, or `chat.completion.chunk` events with the usage chunk (empty
 * `choices`) before `data: [DONE]` when the request asks for it.
 */
import { FAKE_REPLY_PIECES, type FakeBehaviour } from "./behaviour.js";

/** Facts of the request that shape the answer. */
export interface FakeRequest {
  model: string;
  stream: boolean;
  includeUsage: boolean;
}

/** The usage object in OpenAI's convention (prompt includes cache). */
export function openAiUsage(b: FakeBehaviour): Record<string, unknown> {
  return {
    prompt_tokens: b.promptTokens,
    completion_tokens: b.completionTokens,
    total_tokens: b.promptTokens + b.completionTokens,
    prompt_tokens_details: {
      cached_tokens: b.cacheReadTokens,
      ...(b.cacheWriteTokens > 0
        ? { cache_write_tokens: b.cacheWriteTokens }
        : {}),
    },
    completion_tokens_details: { reasoning_tokens: b.reasoningTokens },
    ...(b.bodyCostUsd === undefined ? {} : { cost: b.bodyCostUsd }),
  };
}

/** A complete chat completion. */
export function openAiJson(b: FakeBehaviour, request: FakeRequest): object {
  return {
    ...envelope(b, request, "chat.completion"),
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: FAKE_REPLY_PIECES.join("") },
        finish_reason: "stop",
      },
    ],
    ...(b.noUsage ? {} : { usage: openAiUsage(b) }),
  };
}

/** The events of a streamed chat completion, each ready for the wire. */
export function openAiEvents(b: FakeBehaviour, request: FakeRequest): string[] {
  const withUsage = request.includeUsage && !b.noUsage;
  const chunk = (delta: object, finish: string | null): string =>
    data({
      ...envelope(b, request, "chat.completion.chunk"),
      choices: [{ index: 0, delta, finish_reason: finish }],
      ...(withUsage ? { usage: null } : {}),
    });

  const events = [chunk({ role: "assistant", content: "" }, null)];
  FAKE_REPLY_PIECES.forEach((piece, index) => {
    events.push(chunk({ content: piece }, null));
    if (index === 0 && b.malformed) {
      events.push("data: {this is not json\n\n");
    }
  });
  events.push(chunk({}, "stop"));
  if (withUsage) {
    events.push(
      data({
        ...envelope(b, request, "chat.completion.chunk"),
        choices: [],
        usage: openAiUsage(b),
      }),
    );
  }
  events.push("data: [DONE]\n\n");
  return events;
}

/** OpenAI's error body. */
export function openAiError(status: number): object {
  return {
    error: {
      message: `The fake upstream failed with status ${status}.`,
      type: status >= 500 ? "server_error" : "invalid_request_error",
      param: null,
      code: null,
    },
  };
}

function envelope(
  b: FakeBehaviour,
  request: FakeRequest,
  object: string,
): object {
  return {
    id: "chatcmpl-fake-0001",
    object,
    created: 1_700_000_000,
    model: b.answerModel ?? request.model,
  };
}

function data(value: object): string {
  return `data: ${JSON.stringify(value)}\n\n`;
}
