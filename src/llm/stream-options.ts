/**
 * Asking an OpenAI-compatible upstream for usage in its stream. Without
 * `stream_options.include_usage`, OpenAI streams carry no token counts at
 * all, so a streamed call could not be metered. Anthropic streams always
 * carry usage and need nothing.
 */
import { asRecord } from "./json-fields.js";

/** A request body, and whether usage was asked for on the caller's behalf. */
export interface StreamUsageRequest {
  body: Record<string, unknown>;
  /**
   * True when the caller had not asked for usage: its stream then gets one
   * chunk more than it expected, whose `choices` is empty (OpenAI's SDKs
   * accept it; a client that indexes `choices[0]` blindly may not).
   */
  added: boolean;
}

/**
 * Sets `stream_options.include_usage` on a streaming chat completions
 * request that lacks it, keeping every other field.
 */
export function withStreamUsage(
  body: Record<string, unknown>,
): StreamUsageRequest {
  const options = asRecord(body.stream_options) ?? {};
  if (body.stream !== true || options.include_usage === true) {
    return { body, added: false };
  }

  return {
    body: { ...body, stream_options: { ...options, include_usage: true } },
    added: true,
  };
}
