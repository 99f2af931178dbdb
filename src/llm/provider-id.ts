/**
 * Which provider's prices apply to a call. `@pydantic/genai-prices` prices
 * fastest and most exactly with an explicit provider id; the upstream's
 * base URL names it when it is a known API (OpenRouter, OpenAI, ...), and
 * otherwise the wire format's owner is the best guess (a local vLLM or a
 * LiteLLM proxy usually serves models under their original names).
 */
import { findProvider } from "@pydantic/genai-prices";
import type { LlmApi } from "./call-usage.js";

const DEFAULT_PROVIDER: Record<LlmApi, string> = {
  openai: "openai",
  anthropic: "anthropic",
};

// A Worker talks to one or two base URLs: matching each once is enough.
const byBaseUrl = new Map<string, string>();

/**
 * The genai-prices provider id for an upstream.
 *
 * @param api the wire format the upstream speaks.
 * @param baseUrl the upstream's base URL, when there is one.
 * @returns e.g. "openrouter" for OpenRouter's URL, else "openai" or
 *   "anthropic" after `api`.
 */
export function pricingProviderId(api: LlmApi, baseUrl?: string): string {
  if (baseUrl === undefined || baseUrl === "") {
    return DEFAULT_PROVIDER[api];
  }

  const key = `${api} ${baseUrl}`;
  let id = byBaseUrl.get(key);
  if (id === undefined) {
    id = findProvider({ providerApiUrl: baseUrl })?.id ?? DEFAULT_PROVIDER[api];
    byBaseUrl.set(key, id);
  }
  return id;
}
