/**
 * Usage from Anthropic's Messages wire format. Anthropic's `input_tokens`
 * EXCLUDES `cache_read_input_tokens` and `cache_creation_input_tokens`, so
 * both are added back to give our inclusive `prompt_tokens`. Anthropic does
 * not count thinking tokens apart from `output_tokens`, so
 * `reasoning_tokens` stays 0.
 */
import { unreportedUsage, type CallUsage } from "./call-usage.js";
import { asRecord, readCount, readString } from "./json-fields.js";

const USAGE_FIELDS = [
  "input_tokens",
  "output_tokens",
  "cache_read_input_tokens",
  "cache_creation_input_tokens",
] as const;

type AnthropicCounts = Record<(typeof USAGE_FIELDS)[number], number>;

/**
 * The raw counts of an Anthropic `usage` object, in Anthropic's own
 * convention, keeping only the fields present. Streams need this: a
 * `message_delta` repeats only some fields, each a running total.
 */
export function readAnthropicCounts(usage: unknown): Partial<AnthropicCounts> {
  const record = asRecord(usage);
  const counts: Partial<AnthropicCounts> = {};
  for (const field of USAGE_FIELDS) {
    if (typeof record?.[field] === "number") {
      counts[field] = readCount(record, field);
    }
  }
  return counts;
}

/** Writes Anthropic's counts into `into`, normalised to our convention. */
export function applyAnthropicCounts(
  into: CallUsage,
  counts: Partial<AnthropicCounts>,
): void {
  const input = counts.input_tokens ?? 0;
  const cacheRead = counts.cache_read_input_tokens ?? 0;
  const cacheWrite = counts.cache_creation_input_tokens ?? 0;
  into.prompt_tokens = input + cacheRead + cacheWrite;
  into.completion_tokens = counts.output_tokens ?? 0;
  into.cache_read_tokens = cacheRead;
  into.cache_write_tokens = cacheWrite;
  into.usage_reported = Object.keys(counts).length > 0;
}

/**
 * Reads the usage of a complete (non-streaming) Messages response.
 *
 * @param body the parsed response (see `parseUpstreamJson`).
 * @param requestedModel stands in when the response names no model.
 * @returns the normalised usage; `usage_reported` is false when the
 *   response carried no usage counts.
 */
export function anthropicUsageFromBody(
  body: Record<string, unknown>,
  requestedModel: string,
): CallUsage {
  const usage = unreportedUsage(readString(body, "model") ?? requestedModel);
  usage.response_id = readString(body, "id") ?? "";
  applyAnthropicCounts(usage, readAnthropicCounts(body.usage));
  return usage;
}
