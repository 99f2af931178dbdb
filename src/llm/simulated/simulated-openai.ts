/**
 * The simulated upstream's answers in OpenAI's chat completions format:
 * one `chat.completion` object, or a stream of `chat.completion.chunk`
 * events ending in `data: [DONE]`, with the usage chunk (empty `choices`)
 * before it when `stream_options.include_usage` is set.
 */
import { asRecord } from "../json-fields.js";
import type { SimulatedCall } from "./simulated-call.js";
import { sseEvent, sseResponse, textPieces } from "./sse-body.js";

/** Answers a chat completions request, streamed or not. */
export function openAiSimulatedResponse(
  call: SimulatedCall,
  body: Record<string, unknown>,
): Response {
  if (body.stream === true) {
    const includeUsage = asRecord(body.stream_options)?.include_usage === true;
    return sseResponse(openAiChunks(call, includeUsage));
  }

  return Response.json({
    ...envelope(call, "chat.completion"),
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: call.text, refusal: null },
        logprobs: null,
        finish_reason: finishReason(call),
      },
    ],
    usage: usageOf(call),
  });
}

function openAiChunks(call: SimulatedCall, includeUsage: boolean): string[] {
  // With include_usage every chunk carries `usage: null` but the last.
  const usageField = includeUsage ? { usage: null } : {};
  const chunk = (delta: object, finish: string | null): string =>
    sseEvent({
      ...envelope(call, "chat.completion.chunk"),
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
      ...usageField,
    });

  const events = [chunk({ role: "assistant", content: "" }, null)];
  for (const piece of textPieces(call.text)) {
    events.push(chunk({ content: piece }, null));
  }
  events.push(chunk({}, finishReason(call)));

  if (includeUsage) {
    events.push(
      sseEvent({
        ...envelope(call, "chat.completion.chunk"),
        choices: [],
        usage: usageOf(call),
      }),
    );
  }
  events.push(sseEvent("[DONE]"));
  return events;
}

function envelope(call: SimulatedCall, object: string): object {
  return {
    id: `chatcmpl-simulated-${call.idSuffix}`,
    object,
    created: Math.floor(Date.now() / 1000),
    model: call.model,
    system_fingerprint: "simulated",
  };
}

function usageOf(call: SimulatedCall): object {
  return {
    prompt_tokens: call.promptTokens,
    completion_tokens: call.completionTokens,
    total_tokens: call.promptTokens + call.completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

function finishReason(call: SimulatedCall): string {
  return call.truncated ? "length" : "stop";
}
