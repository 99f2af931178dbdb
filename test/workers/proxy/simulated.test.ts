import { describe, expect, it } from "vitest";
import { freshId } from "../helpers.js";
import { anthropicBody, metricsOf, openAiBody, send } from "./support.js";

/** No upstream configured: the built-in simulated one answers. */
const OFFLINE = { LLM_BASE_URL: undefined, ANTHROPIC_BASE_URL: undefined };

/** The simulated rate: $1 input and $2 output per million tokens. */
function simulatedUsd(prompt: number, completion: number): number {
  return (prompt * 1 + completion * 2) / 1e6;
}

interface OpenAiUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

describe("the simulated upstream", () => {
  it("answers as simulated-<model> when LLM_BASE_URL is unset", async () => {
    const { response } = await send(
      freshId("sim"),
      "chat/completions",
      openAiBody(""),
      { env: OFFLINE },
    );

    const body = await response.json<{ model: string }>();
    expect(response.status).toBe(200);
    expect(body.model).toBe("simulated-gpt-4o");
  });

  it("meters a simulated call at the simulated rate", async () => {
    const id = freshId("sim");
    const { response } = await send(id, "chat/completions", openAiBody(""), {
      env: OFFLINE,
    });

    const { usage } = await response.json<{ usage: OpenAiUsage }>();
    const metrics = await metricsOf(id);
    expect(metrics.accumulated_token_usage).toMatchObject({
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
    });
    expect(metrics.accumulated_cost).toBe(
      simulatedUsd(usage.prompt_tokens, usage.completion_tokens),
    );
    expect(Object.keys(metrics.by_model)).toEqual(["simulated-gpt-4o"]);
  });

  it("meters a simulated stream", async () => {
    const id = freshId("sim");
    const sent = await send(
      id,
      "chat/completions",
      openAiBody("", { stream: true }),
      { env: OFFLINE },
    );
    const text = await sent.response.text();
    await sent.settled();

    // The last chunk before [DONE] carries the usage the proxy asked for.
    const usageLine = text
      .split("\n")
      .find((line) => line.includes('"usage":{'));
    const chunk = JSON.parse(usageLine?.replace(/^data: /, "") ?? "{}") as {
      usage: OpenAiUsage;
    };
    const { prompt_tokens, completion_tokens } = chunk.usage;
    expect((await metricsOf(id)).accumulated_cost).toBe(
      simulatedUsd(prompt_tokens, completion_tokens),
    );
  });

  it("answers Messages calls when ANTHROPIC_BASE_URL is unset", async () => {
    const id = freshId("sim");
    const { response } = await send(id, "messages", anthropicBody(""), {
      env: OFFLINE,
    });

    const body = await response.json<{ model: string }>();
    const metrics = await metricsOf(id);
    expect(body.model).toBe("simulated-claude-sonnet-4-20250514");
    expect(metrics.unpriced_calls).toBe(0);
    expect(metrics.accumulated_cost).toBeGreaterThan(0);
  });
});
