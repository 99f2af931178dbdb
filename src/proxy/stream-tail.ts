/**
 * The end of a stream that failed: once the response's 200 is sent, an
 * error can only travel inside the stream. When the upstream's stream
 * breaks, stops early or goes quiet, the caller gets one last event in the
 * wire format's own error shape (OpenAI SDKs throw on a chunk carrying
 * `error`; Anthropic SDKs on an `error` event), then a clean end, rather
 * than a connection that just drops.
 */
import type { LlmApi, StreamMeterResult } from "../llm/index.js";

const encoder = new TextEncoder();

/** What went wrong, as the error event says it. */
export interface StreamFailure {
  type: "upstream_error" | "upstream_timeout";
  message: string;
}

/**
 * Passes `metered` through and, when `result` reports an upstream failure,
 * appends one error event before the end.
 *
 * @param failure turns the meter's result into the event's content.
 */
export function withErrorTail(
  api: LlmApi,
  metered: ReadableStream<Uint8Array>,
  result: Promise<StreamMeterResult>,
  failure: (result: StreamMeterResult) => StreamFailure,
): ReadableStream<Uint8Array> {
  const reader = metered.getReader();
  const end = async (
    controller: ReadableStreamDefaultController<Uint8Array>,
  ) => {
    const ended = await result;
    if (ended.outcome === "upstream_failed") {
      controller.enqueue(encoder.encode(errorEvent(api, failure(ended))));
    }
    controller.close();
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let next: ReadableStreamReadResult<Uint8Array>;
        try {
          next = await reader.read();
        } catch {
          await end(controller);
          return;
        }
        if (next.done) {
          await end(controller);
        } else {
          controller.enqueue(next.value);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

/**
 * One error event. It starts with a blank line so that an event the
 * upstream cut off mid-line ends there, instead of swallowing this one.
 */
function errorEvent(api: LlmApi, failure: StreamFailure): string {
  const error = { error: failure };
  if (api === "openai") {
    return `\n\ndata: ${JSON.stringify(error)}\n\n`;
  }
  const event = { type: "error", ...error };
  return `\n\nevent: error\ndata: ${JSON.stringify(event)}\n\n`;
}
