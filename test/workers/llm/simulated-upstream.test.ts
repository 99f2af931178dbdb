import { describe, expect, it } from "vitest";
import { anthropicUsageFromBody } from "../../../src/llm/anthropic-usage.js";
import { parseUpstreamJson } from "../../../src/llm/json-fields.js";
import { openAiUsageFromBody } from "../../../src/llm/openai-usage.js";
import { NO_PRICE_OVERRIDES } from "../../../src/llm/price-overrides.js";
import { priceCall } from "../../../src/llm/pricing.js";
import { simulatedUpstream } from "../../../src/llm/simulated/simulated-upstream.js";
import { meterStream } from "../../../src/llm/stream-meter.js";

const PROMPT = "Please summarise the plot of Hamlet in two sentences.";

function ask(path: string, body: object): Promise<Response> {
  return simulatedUpstream(
    new Request(`http://simulated.local${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
}

function openAiRequest(extra: object = {}) {
  return {
    model: "gpt-4o",
    messages: [
      { role: "system", content: "You are terse." },
      { role: "user", content: PROMPT },
    ],
    ...extra,
  };
}

function anthropicRequest(extra: object = {}) {
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    system: "You are terse.",
    messages: [{ role: "user", content: [{ type: "text", text: PROMPT }] }],
    ...extra,
  };
}

async function meter(response: Response, api: "openai" | "anthropic") {
  if (response.body === null) {
    throw new Error("no body");
  }
  const { stream, result } = meterStream(response.body, {
    api,
    requestedModel: "requested",
  });
  const text = await new Response(stream).text();
  return { text, metered: await result };
}

describe("simulated upstream, OpenAI format", () => {
  it("answers as a model named simulated-<requested>", async () => {
    const response = await ask("/v1/chat/completions", openAiRequest());
    const body = parseUpstreamJson(await response.text());

    const usage = openAiUsageFromBody(body, "gpt-4o");

    expect(usage.model).toBe("simulated-gpt-4o");
    expect(usage.usage_reported).toBe(true);
  });

  it("counts about four prompt characters a token", async () => {
    const response = await ask("/v1/chat/completions", openAiRequest());
    const body = parseUpstreamJson(await response.text());

    const usage = openAiUsageFromBody(body, "gpt-4o");

    // 14 + 53 characters of text: 17 tokens, plus 3 per message and 3.
    expect(usage.prompt_tokens).toBe(17 + 9);
  });

  it("gives the same answer to the same request", async () => {
    // Only `created`, the time of the answer, may differ.
    const answer = async () => {
      const response = await ask("/v1/chat/completions", openAiRequest());
      const body = parseUpstreamJson(await response.text());
      return { ...body, created: 0 };
    };

    expect(await answer()).toEqual(await answer());
  });

  it("derives its text from the last user message", async () => {
    const response = await ask("/v1/chat/completions", openAiRequest());
    const body = await response.json<{
      choices: { message: { content: string } }[];
    }>();

    expect(body.choices[0]?.message.content).toContain(
      '"Please summarise the plot of Hamlet in two sentences."',
    );
  });

  it("streams chunks whose usage chunk its own meter reads", async () => {
    const response = await ask(
      "/v1/chat/completions",
      openAiRequest({ stream: true, stream_options: { include_usage: true } }),
    );

    const { text, metered } = await meter(response, "openai");

    expect(text).toMatch(/^data: \{"id":"chatcmpl-simulated-/);
    expect(text.endsWith("data: [DONE]\n\n")).toBe(true);
    expect(metered.outcome).toBe("completed");
    expect(metered.usage.model).toBe("simulated-gpt-4o");
    expect(metered.usage.prompt_tokens).toBe(26);
    expect(metered.usage.completion_tokens).toBeGreaterThan(10);
  });

  it("sends no usage chunk unless asked, as OpenAI does", async () => {
    const response = await ask(
      "/v1/chat/completions",
      openAiRequest({ stream: true }),
    );

    const { metered } = await meter(response, "openai");

    expect(metered.outcome).toBe("completed");
    expect(metered.usage.usage_reported).toBe(false);
  });

  it("stops at max_tokens with finish_reason length", async () => {
    const response = await ask(
      "/v1/chat/completions",
      openAiRequest({ max_tokens: 5 }),
    );
    const body = await response.json<{
      choices: { finish_reason: string }[];
      usage: { completion_tokens: number };
    }>();

    expect(body.usage.completion_tokens).toBe(5);
    expect(body.choices[0]?.finish_reason).toBe("length");
  });

  it("is priced at the simulated rate", async () => {
    const response = await ask("/v1/chat/completions", openAiRequest());
    const usage = openAiUsageFromBody(
      parseUpstreamJson(await response.text()),
      "gpt-4o",
    );

    const cost = priceCall(usage, {
      overrides: NO_PRICE_OVERRIDES,
      providerId: "openai",
    });

    const expected =
      usage.prompt_tokens * 1_000 + usage.completion_tokens * 2_000;
    expect(cost).toEqual({
      priced: true,
      cost_nanos: expected,
      source: "simulated",
    });
  });
});

describe("simulated upstream, Anthropic format", () => {
  it("answers a message its own parser reads", async () => {
    const response = await ask("/v1/messages", anthropicRequest());
    const body = parseUpstreamJson(await response.text());

    const usage = anthropicUsageFromBody(body, "claude-sonnet-4-5");

    expect(body.type).toBe("message");
    expect(usage.model).toBe("simulated-claude-sonnet-4-5");
    expect(usage.response_id).toMatch(/^msg_simulated_/);
    expect(usage.prompt_tokens).toBe(17 + 6);
  });

  it("streams the Messages event sequence its own meter reads", async () => {
    const response = await ask(
      "/v1/messages",
      anthropicRequest({ stream: true }),
    );

    const { text, metered } = await meter(response, "anthropic");

    const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe("message_start");
    expect(names.slice(-2)).toEqual(["message_delta", "message_stop"]);
    expect(metered.outcome).toBe("completed");
    expect(metered.usage.prompt_tokens).toBe(23);
    expect(metered.usage.completion_tokens).toBeGreaterThan(10);
  });
});

describe("simulated upstream, bad requests", () => {
  it("refuses a body without messages in the provider's error shape", async () => {
    const response = await ask("/v1/messages", { model: "m" });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: "error",
      error: { type: "invalid_request_error" },
    });
  });

  it("answers 404 for a path it does not serve", async () => {
    const response = await ask("/v1/embeddings", openAiRequest());

    expect(response.status).toBe(404);
  });
});
