import { Hono } from "hono";
import type { LlmApi } from "../../llm/index.js";
import { proxyCall } from "../../proxy/proxy-call.js";

/**
 * Metered LLM calls for a conversation: OpenAI's chat completions, so an
 * OpenAI SDK works with its base URL set to `/v1/conversations/{id}`, and
 * Anthropic's Messages (also under `/v1/messages`, where an Anthropic SDK
 * with that same base URL sends it). See src/proxy/README.md.
 */
export const llm = new Hono<{ Bindings: Env }>();

/**
 * Runs the call inside `waitUntil` as well, so that a client that hangs up
 * mid-call does not stop the call from being recorded.
 */
function metered(api: LlmApi) {
  return (c: Parameters<typeof proxyCall>[0]) => {
    const call = proxyCall(c, api);
    c.executionCtx.waitUntil(call.catch(() => {}));
    return call;
  };
}

llm.post("/:id/chat/completions", metered("openai"));
llm.post("/:id/messages", metered("anthropic"));
llm.post("/:id/v1/messages", metered("anthropic"));
