/**
 * What one LLM call used, in one convention whatever the provider:
 * `prompt_tokens` INCLUDES cache reads and cache writes (OpenAI's and
 * OpenHands' convention). Anthropic's `input_tokens` excludes them, so its
 * parser adds them back; a reader of this type never needs to know.
 */
export interface CallUsage {
  /** The model that answered, as the response names it. */
  model: string;
  /** The upstream's id for the response; "" when it gave none. */
  response_id: string;
  /** Every input token, cached or not. */
  prompt_tokens: number;
  /** Every output token, reasoning included. */
  completion_tokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cache_read_tokens: number;
  /** Input tokens written to the provider's prompt cache. */
  cache_write_tokens: number;
  /** Output tokens spent on reasoning; already inside completion_tokens. */
  reasoning_tokens: number;
  /**
   * False when the upstream sent no token counts: the counts are then zero
   * because they are unknown, and the call must not be priced as free.
   */
  usage_reported: boolean;
  /** A cost the upstream reported itself (OpenRouter, LiteLLM), in USD. */
  upstream_cost_usd?: number;
}

/** The two wire formats this service speaks to upstreams. */
export type LlmApi = "openai" | "anthropic";

/**
 * A usage with nothing known yet but the model: the starting point of a
 * stream, and the result for a response that reports no usage.
 */
export function unreportedUsage(model: string): CallUsage {
  return {
    model,
    response_id: "",
    prompt_tokens: 0,
    completion_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    usage_reported: false,
  };
}
