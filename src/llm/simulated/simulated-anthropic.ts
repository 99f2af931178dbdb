/**
 * The simulated upstream's answers in Anthropic's Messages format: one
 * `message` object, or the event sequence message_start,
 * content_block_start, ping, content_block_delta..., content_block_stop,
 * message_delta (the final output count), message_stop.
 */
import type { SimulatedCall } from "./simulated-call.js";
import { sseEvent, sseResponse, textPieces } from "./sse-body.js";

/** Answers a Messages request, streamed or not. */
export function anthropicSimulatedResponse(
  call: SimulatedCall,
  body: Record<string, unknown>,
): Response {
  if (body.stream === true) {
    return sseResponse(anthropicEvents(call));
  }

  return Response.json({
    ...message(call),
    content: [{ type: "text", text: call.text }],
    stop_reason: stopReason(call),
    usage: usageOf(call, call.completionTokens),
  });
}

function anthropicEvents(call: SimulatedCall): string[] {
  const event = (type: string, data: object): string =>
    sseEvent({ type, ...data }, type);

  const events = [
    event("message_start", {
      message: {
        ...message(call),
        content: [],
        stop_reason: null,
        usage: usageOf(call, 1),
      },
    }),
    event("content_block_start", {
      index: 0,
      content_block: { type: "text", text: "" },
    }),
    event("ping", {}),
  ];
  for (const piece of textPieces(call.text)) {
    events.push(
      event("content_block_delta", {
        index: 0,
        delta: { type: "text_delta", text: piece },
      }),
    );
  }
  events.push(
    event("content_block_stop", { index: 0 }),
    event("message_delta", {
      delta: { stop_reason: stopReason(call), stop_sequence: null },
      usage: { output_tokens: call.completionTokens },
    }),
    event("message_stop", {}),
  );
  return events;
}

function message(call: SimulatedCall): object {
  return {
    id: `msg_simulated_${call.idSuffix}`,
    type: "message",
    role: "assistant",
    model: call.model,
    stop_sequence: null,
  };
}

function usageOf(call: SimulatedCall, outputTokens: number): object {
  return {
    input_tokens: call.promptTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
  };
}

function stopReason(call: SimulatedCall): string {
  return call.truncated ? "max_tokens" : "end_turn";
}
