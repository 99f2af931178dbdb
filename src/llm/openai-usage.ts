/**
 * Usage from OpenAI's chat completions wire format, which is already in our
 * convention: `prompt_tokens` includes `prompt_tokens_details.cached_tokens`.
 * OpenRouter and LiteLLM add their own cost as `usage.cost` (USD), and
 * OpenRouter reports cache writes as `prompt_tokens_details.
 * cache_write_tokens`; LiteLLM in front of Anthropic names them
 * `cache_creation_input_tokens` instead.
 */
import { unreportedUsage, type CallUsage } from "./call-usage.js";
import { asRecord, readCount, readString, readUsd } from "./json-fields.js";

/**
 * Applies an OpenAI `usage` object to `into`. A missing or null usage (as in
 * every stream chunk but the last) leaves `into` unchanged.
 *
 * @returns whether the value held token counts.
 */
export function applyOpenAiUsage(into: CallUsage, usage: unknown): boolean {
  const record = asRecord(usage);
  if (record === undefined || !hasCounts(record)) {
    return false;
  }

  const promptDetails = asRecord(record.prompt_tokens_details);
  const completionDetails = asRecord(record.completion_tokens_details);
  into.prompt_tokens = readCount(record, "prompt_tokens");
  into.completion_tokens = readCount(record, "completion_tokens");
  into.cache_read_tokens = readCount(promptDetails, "cached_tokens");
  into.cache_write_tokens =
    readCount(promptDetails, "cache_write_tokens") ||
    readCount(record, "cache_creation_input_tokens");
  into.reasoning_tokens = readCount(completionDetails, "reasoning_tokens");
  into.usage_reported = true;

  const cost = readUsd(record, "cost");
  if (cost !== undefined) {
    into.upstream_cost_usd = cost;
  }
  return true;
}

/**
 * Reads the usage of a complete (non-streaming) chat completion.
 *
 * @param body the parsed response (see `parseUpstreamJson`).
 * @param requestedModel stands in when the response names no model.
 * @returns the normalised usage; `usage_reported` is false when the
 *   response carried no usage object.
 */
export function openAiUsageFromBody(
  body: Record<string, unknown>,
  requestedModel: string,
): CallUsage {
  const usage = unreportedUsage(readString(body, "model") ?? requestedModel);
  usage.response_id = readString(body, "id") ?? "";
  applyOpenAiUsage(usage, body.usage);
  return usage;
}

function hasCounts(record: Record<string, unknown>): boolean {
  return (
    typeof record.prompt_tokens === "number" ||
    typeof record.completion_tokens === "number"
  );
}
