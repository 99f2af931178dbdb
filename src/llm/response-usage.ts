/**
 * One entry point for a complete (non-streaming) response of either wire
 * format, for a route that serves both.
 */
import { anthropicUsageFromBody } from "./anthropic-usage.js";
import type { CallUsage, LlmApi } from "./call-usage.js";
import { parseUpstreamJson } from "./json-fields.js";
import { openAiUsageFromBody } from "./openai-usage.js";

/**
 * Reads the usage of a complete response from its text.
 *
 * @param requestedModel stands in when the response names no model.
 * @throws UpstreamFormatError when the text is not a JSON object.
 */
export function usageFromResponseText(
  api: LlmApi,
  text: string,
  requestedModel: string,
): CallUsage {
  const body = parseUpstreamJson(text);
  return api === "openai"
    ? openAiUsageFromBody(body, requestedModel)
    : anthropicUsageFromBody(body, requestedModel);
}
