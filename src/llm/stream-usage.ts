/**
 * Reads a call's usage from its stream of server-sent events, one event at
 * a time, so that whatever was known survives a stream that stops early.
 */
import {
  applyAnthropicCounts,
  readAnthropicCounts,
} from "./anthropic-usage.js";
import { unreportedUsage, type CallUsage, type LlmApi } from "./call-usage.js";
import { asRecord, readString } from "./json-fields.js";
import { applyOpenAiUsage } from "./openai-usage.js";
import type { SseEvent } from "./sse-parser.js";

/** Accumulates one stream's usage from its events. */
export interface StreamUsageReader {
  /** Takes the next event of the stream. */
  push(event: SseEvent): void;
  /** What is known so far. */
  readonly usage: CallUsage;
  /** Whether the stream's own end marker has arrived. */
  readonly complete: boolean;
  /** The upstream's message when it reported an error inside the stream. */
  readonly failure: string | undefined;
}

/**
 * Makes a reader for the stream of an `api` call.
 *
 * @param requestedModel stands in until the stream names its model.
 */
export function streamUsageReader(
  api: LlmApi,
  requestedModel: string,
): StreamUsageReader {
  return api === "openai"
    ? new OpenAiStreamUsage(requestedModel)
    : new AnthropicStreamUsage(requestedModel);
}

/**
 * OpenAI chunks: every chunk names the id and model; with
 * `stream_options.include_usage` a last chunk with empty `choices` carries
 * the usage, before `data: [DONE]`. A stream that ends cleanly after a
 * `finish_reason` also counts as complete, for servers that omit [DONE].
 */
class OpenAiStreamUsage implements StreamUsageReader {
  readonly usage: CallUsage;
  complete = false;
  failure: string | undefined;

  constructor(requestedModel: string) {
    this.usage = unreportedUsage(requestedModel);
  }

  push(event: SseEvent): void {
    if (event.data === "[DONE]") {
      this.complete = true;
      return;
    }

    const chunk = parseEventData(event);
    if (chunk === undefined) {
      this.failure = "The upstream sent a stream chunk that is not JSON.";
      return;
    }

    this.usage.model = readString(chunk, "model") ?? this.usage.model;
    this.usage.response_id = readString(chunk, "id") ?? this.usage.response_id;
    applyOpenAiUsage(this.usage, chunk.usage);
    this.complete ||= hasFinishReason(chunk.choices);
    this.failure = errorMessage(chunk.error) ?? this.failure;
  }
}

/**
 * Anthropic events: `message_start` carries the id, the model and the input
 * and cache counts; each `message_delta` carries running totals (always
 * `output_tokens`, sometimes the input counts again); `message_stop` ends.
 */
class AnthropicStreamUsage implements StreamUsageReader {
  readonly usage: CallUsage;
  complete = false;
  failure: string | undefined;
  #counts: ReturnType<typeof readAnthropicCounts> = {};

  constructor(requestedModel: string) {
    this.usage = unreportedUsage(requestedModel);
  }

  push(event: SseEvent): void {
    const data = parseEventData(event);
    if (data === undefined) {
      this.failure = "The upstream sent a stream event that is not JSON.";
      return;
    }

    const type = readString(data, "type") ?? event.event;
    if (type === "message_start") {
      this.#start(asRecord(data.message));
    } else if (type === "message_delta") {
      this.#update(data.usage);
    } else if (type === "message_stop") {
      this.complete = true;
    } else if (type === "error") {
      this.failure = errorMessage(data.error) ?? "The upstream failed.";
    }
  }

  #start(message: Record<string, unknown> | undefined): void {
    this.usage.model = readString(message, "model") ?? this.usage.model;
    this.usage.response_id = readString(message, "id") ?? "";
    this.#update(message?.usage);
  }

  #update(usage: unknown): void {
    this.#counts = { ...this.#counts, ...readAnthropicCounts(usage) };
    applyAnthropicCounts(this.usage, this.#counts);
  }
}

function parseEventData(event: SseEvent): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(event.data));
  } catch {
    return undefined;
  }
}

function hasFinishReason(choices: unknown): boolean {
  if (!Array.isArray(choices)) {
    return false;
  }
  return choices.some((choice) => {
    return typeof asRecord(choice)?.finish_reason === "string";
  });
}

function errorMessage(error: unknown): string | undefined {
  const record = asRecord(error);
  if (record === undefined) {
    return undefined;
  }
  return readString(record, "message") ?? "The upstream reported an error.";
}
