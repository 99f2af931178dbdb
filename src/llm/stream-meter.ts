/**
 * Meters a streamed LLM response without slowing it down: every chunk the
 * upstream sends is handed on unchanged the moment it arrives, and a copy
 * is parsed for usage afterwards. Nothing is read ahead of the client
 * (highWaterMark 0), so a client that stops reading stops the upstream too.
 */
import type { CallUsage, LlmApi } from "./call-usage.js";
import { SseParser, type SseEvent } from "./sse-parser.js";
import { streamUsageReader, type StreamUsageReader } from "./stream-usage.js";

/** How a metered stream ended. */
export type StreamOutcome = "completed" | "client_aborted" | "upstream_failed";

/** What a metered stream learned by the time it ended. */
export interface StreamMeterResult {
  /** Usage so far: partial, or unreported, unless the stream completed. */
  usage: CallUsage;
  outcome: StreamOutcome;
  /** Why, when the outcome is `upstream_failed`; safe to show a caller. */
  error?: string;
  /** From `startedAtMs` to the first byte; null when none arrived. */
  time_to_first_byte_seconds: number | null;
  /** From `startedAtMs` to the end, however it ended. */
  latency_seconds: number;
}

/** Options of `meterStream`. */
export interface StreamMeterOptions {
  /** The wire format of the stream. */
  api: LlmApi;
  /** Stands in until the stream names the model that answers. */
  requestedModel: string;
  /** When the upstream request was sent (`Date.now()`); default now. */
  startedAtMs?: number;
}

/** The stream to hand to the client, and what it will have measured. */
export interface MeteredStream {
  stream: ReadableStream<Uint8Array>;
  /**
   * Settles (never rejects) once the stream ends, fails or is cancelled by
   * its reader. It stays pending while nobody reads `stream`.
   */
  result: Promise<StreamMeterResult>;
}

/**
 * Wraps an upstream's SSE body so that it passes through untouched while
 * its usage is metered.
 *
 * @param body the upstream response's body (`response.body`).
 * @example
 * const { stream, result } = meterStream(upstream.body, {
 *   api: "openai", requestedModel: "gpt-4o", startedAtMs,
 * });
 * ctx.waitUntil(result.then(record));
 * return new Response(stream, { headers: upstream.headers });
 */
export function meterStream(
  body: ReadableStream,
  options: StreamMeterOptions,
): MeteredStream {
  // `Response.body` is typed loosely; a fetched body yields bytes.
  const meter = new StreamMeter(body as ReadableStream<Uint8Array>, options);
  const stream = new ReadableStream<Uint8Array>(
    {
      pull: (controller) => meter.pull(controller),
      cancel: (reason) => meter.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { stream, result: meter.result };
}

/** One stream's reader, parser and measurements. */
class StreamMeter {
  readonly result: Promise<StreamMeterResult>;
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #parser = new SseParser();
  readonly #usage: StreamUsageReader;
  readonly #startedAtMs: number;
  #firstByteAtMs: number | undefined;
  #settle: ((result: StreamMeterResult) => void) | undefined;

  constructor(body: ReadableStream<Uint8Array>, options: StreamMeterOptions) {
    this.#reader = body.getReader();
    this.#usage = streamUsageReader(options.api, options.requestedModel);
    this.#startedAtMs = options.startedAtMs ?? Date.now();
    this.result = new Promise((resolve) => {
      this.#settle = resolve;
    });
  }

  /** Passes on the upstream's next chunk, then parses a copy of it. */
  async pull(
    controller: ReadableStreamDefaultController<Uint8Array>,
  ): Promise<void> {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await this.#reader.read();
    } catch (error) {
      this.#finish("upstream_failed", streamFailure(error));
      controller.error(error);
      return;
    }

    if (chunk.done) {
      this.#feed(this.#parser.end());
      const failure = this.#usage.failure ?? endFailure(this.#usage.complete);
      this.#finish(failure ? "upstream_failed" : "completed", failure);
      controller.close();
      return;
    }

    if (this.#firstByteAtMs === undefined && chunk.value.byteLength > 0) {
      this.#firstByteAtMs = Date.now();
    }
    // Hand the bytes on before parsing, so metering never delays them.
    controller.enqueue(chunk.value);
    this.#feed(this.#parser.push(chunk.value));
  }

  /** The client went away: stop the upstream too. */
  async cancel(reason: unknown): Promise<void> {
    this.#finish("client_aborted");
    await this.#reader.cancel(reason).catch(() => {});
  }

  #feed(events: SseEvent[]): void {
    for (const event of events) {
      this.#usage.push(event);
    }
  }

  // The first way the stream ends wins: a cancel after the end changes
  // nothing.
  #finish(outcome: StreamOutcome, error?: string): void {
    const settle = this.#settle;
    if (settle === undefined) {
      return;
    }

    this.#settle = undefined;
    const firstByteAtMs = this.#firstByteAtMs;
    settle({
      usage: { ...this.#usage.usage },
      outcome,
      ...(error === undefined ? {} : { error }),
      time_to_first_byte_seconds:
        firstByteAtMs === undefined
          ? null
          : secondsBetween(this.#startedAtMs, firstByteAtMs),
      latency_seconds: secondsBetween(this.#startedAtMs, Date.now()),
    });
  }
}

function secondsBetween(fromMs: number, toMs: number): number {
  return Math.max(0, toMs - fromMs) / 1000;
}

function streamFailure(error: unknown): string {
  const detail = error instanceof Error ? `: ${error.message}` : "";
  return `The upstream's stream failed before it ended${detail}.`;
}

function endFailure(complete: boolean): string | undefined {
  return complete
    ? undefined
    : "The upstream's stream ended before its end marker.";
}
