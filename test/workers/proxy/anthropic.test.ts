import { describe, expect, it } from "vitest";
import { freshId } from "../helpers.js";
import { anthropicBody, metricsOf, send } from "./support.js";

// claude-sonnet-4 in the bundled table: $3 input, $0.30 cache read, $3.75
// cache write and $15 output per million tokens. The fake sends
// Anthropic's convention: input_tokens 700, cache read 200, cache write
// 100 (1000 prompt tokens in all) and 100 output tokens:
// 700 * 3e-6 + 200 * 0.3e-6 + 100 * 3.75e-6 + 100 * 15e-6 = 0.004035 USD.
const CLAUDE_CALL = "prompt=1000 cache-read=200 cache-write=100 completion=100";
const CLAUDE_CALL_USD = 0.004035;

const INCLUSIVE_USAGE = {
  prompt_tokens: 1000,
  completion_tokens: 100,
  cache_read_tokens: 200,
  cache_write_tokens: 100,
  context_window: 200000,
};

describe("Anthropic Messages", () => {
  it("records a JSON answer's prompt inclusive of cache reads and writes", async () => {
    const id = freshId("an");
    await send(id, "messages", anthropicBody(CLAUDE_CALL));

    const metrics = await metricsOf(id);
    expect(metrics.accumulated_token_usage).toMatchObject(INCLUSIVE_USAGE);
  });

  it("records a JSON answer's cost at each token kind's rate", async () => {
    const id = freshId("an");
    const { response } = await send(id, "messages", anthropicBody(CLAUDE_CALL));

    expect((await metricsOf(id)).accumulated_cost).toBe(CLAUDE_CALL_USD);
    expect(response.headers.get("x-metrics-call-cost")).toBe("0.004035");
  });

  it("records a streamed answer's usage from its events", async () => {
    const id = freshId("an");
    const sent = await send(
      id,
      "messages",
      anthropicBody(CLAUDE_CALL, { stream: true }),
    );
    const text = await sent.response.text();
    await sent.settled();

    const metrics = await metricsOf(id);
    expect(text).toContain("event: message_stop");
    expect(metrics.accumulated_token_usage).toMatchObject(INCLUSIVE_USAGE);
    expect(metrics.accumulated_cost).toBe(CLAUDE_CALL_USD);
  });

  it("answers at /v1/messages too, where Anthropic SDKs post", async () => {
    const id = freshId("an");
    await send(id, "v1/messages", anthropicBody(CLAUDE_CALL));

    expect((await metricsOf(id)).accumulated_cost).toBe(CLAUDE_CALL_USD);
  });
});
