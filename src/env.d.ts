// Secrets and optional variables, which `wrangler types` cannot see in
// wrangler.toml. They merge into the generated `Env`.
declare namespace Cloudflare {
  interface Env {
    /** Comma-separated API keys; with none set, every request is refused. */
    API_KEYS?: string;
    /**
     * Signs socket tokens (at least 32 characters); unset: each token is
     * signed with a secret derived from the API key that asked for it.
     */
    TOKEN_SECRET?: string;
    /** OpenAI-compatible upstream base URL; unset: the simulated upstream. */
    LLM_BASE_URL?: string;
    /** The key for LLM_BASE_URL; never logged, returned or stored. */
    LLM_API_KEY?: string;
    /** Anthropic Messages upstream base URL; unset: simulated upstream. */
    ANTHROPIC_BASE_URL?: string;
    /** The key for ANTHROPIC_BASE_URL; never logged, returned or stored. */
    ANTHROPIC_API_KEY?: string;
    /** JSON map of per-model prices in USD per million tokens. */
    PRICE_OVERRIDES?: string;
  }
}
