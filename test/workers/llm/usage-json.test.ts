import { describe, expect, it } from "vitest";
import { anthropicUsageFromBody } from "../../../src/llm/anthropic-usage.js";
import { UpstreamFormatError } from "../../../src/llm/errors.js";
import { parseUpstreamJson } from "../../../src/llm/json-fields.js";
import { openAiUsageFromBody } from "../../../src/llm/openai-usage.js";
import { usageFromResponseText } from "../../../src/llm/response-usage.js";
import { callAnthropic, callOpenAi } from "./fake.js";

async function openAiUsage(directives: string, model = "gpt-4o") {
  const response = await callOpenAi({ directives, model });
  return openAiUsageFromBody(parseUpstreamJson(await response.text()), model);
}

async function anthropicUsage(directives: string, model = "claude-x") {
  const response = await callAnthropic({ directives, model });
  const body = parseUpstreamJson(await response.text());
  return { body, usage: anthropicUsageFromBody(body, model) };
}

describe("OpenAI chat completion usage", () => {
  it("keeps prompt_tokens, which already include cached tokens", async () => {
    const usage = await openAiUsage(
      "prompt=1000,completion=100,cache-read=200",
    );

    expect(usage).toEqual({
      model: "gpt-4o",
      response_id: "chatcmpl-fake-0001",
      prompt_tokens: 1000,
      completion_tokens: 100,
      cache_read_tokens: 200,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      usage_reported: true,
    });
  });

  it("reads reasoning tokens from completion_tokens_details", async () => {
    const usage = await openAiUsage("completion=300,reasoning=250");

    expect(usage.completion_tokens).toBe(300);
    expect(usage.reasoning_tokens).toBe(250);
  });

  it("names the model that answered, not the one requested", async () => {
    const usage = await openAiUsage("model=gpt-4o-2024-08-06");

    expect(usage.model).toBe("gpt-4o-2024-08-06");
  });

  it("reads an upstream cost from usage.cost", async () => {
    const usage = await openAiUsage("body-cost=0.0042");

    expect(usage.upstream_cost_usd).toBe(0.0042);
  });

  it("reads OpenRouter's cache_write_tokens", async () => {
    const usage = await openAiUsage("cache-read=100,cache-write=300");

    expect(usage.cache_write_tokens).toBe(300);
    expect(usage.prompt_tokens).toBe(1000);
  });

  it("marks a response without usage as unreported", async () => {
    const usage = await openAiUsage("no-usage");

    expect(usage.usage_reported).toBe(false);
    expect(usage.prompt_tokens).toBe(0);
  });

  it("refuses a malformed body with an UpstreamFormatError", async () => {
    const response = await callOpenAi({ directives: "malformed" });
    const text = await response.text();

    expect(() => parseUpstreamJson(text)).toThrow(UpstreamFormatError);
  });
});

describe("Anthropic message usage", () => {
  it("adds cache reads and writes back into prompt_tokens", async () => {
    const { body, usage } = await anthropicUsage(
      "prompt=1000,completion=100,cache-read=300,cache-write=100",
    );

    // On the wire, input_tokens excludes both cache counts.
    expect(body.usage).toMatchObject({
      input_tokens: 600,
      cache_read_input_tokens: 300,
      cache_creation_input_tokens: 100,
    });
    expect(usage).toEqual({
      model: "claude-x",
      response_id: "msg_fake_0001",
      prompt_tokens: 1000,
      completion_tokens: 100,
      cache_read_tokens: 300,
      cache_write_tokens: 100,
      reasoning_tokens: 0,
      usage_reported: true,
    });
  });

  it("marks a response without usage as unreported", async () => {
    const { usage } = await anthropicUsage("no-usage");

    expect(usage.usage_reported).toBe(false);
  });

  it("stands in the requested model when the response names none", () => {
    const usage = anthropicUsageFromBody({ usage: {} }, "claude-x");

    expect(usage.model).toBe("claude-x");
  });
});

describe("parseUpstreamJson", () => {
  it("refuses JSON that is not an object", () => {
    expect(() => parseUpstreamJson("[1, 2]")).toThrow(UpstreamFormatError);
  });
});

describe("usageFromResponseText", () => {
  it("reads each wire format by its own convention", () => {
    const usage = { input_tokens: 10, cache_read_input_tokens: 5 };
    const text = JSON.stringify({ usage, model: "m" });

    expect(usageFromResponseText("anthropic", text, "m").prompt_tokens).toBe(
      15,
    );
    expect(usageFromResponseText("openai", text, "m").usage_reported).toBe(
      false,
    );
  });
});
