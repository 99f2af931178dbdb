import { describe, expect, it } from "vitest";
import { SseParser } from "../../../src/llm/sse-parser.js";
import { streamUsageReader } from "../../../src/llm/stream-usage.js";
import type { LlmApi } from "../../../src/llm/call-usage.js";
import { callAnthropic, callOpenAi } from "./fake.js";

/** Reads a whole response's events into a usage reader. */
async function readAll(api: LlmApi, response: Response, model: string) {
  const parser = new SseParser();
  const reader = streamUsageReader(api, model);
  const text = await response.text();
  for (const event of [...parser.push(text), ...parser.end()]) {
    reader.push(event);
  }
  return reader;
}

function feed(api: LlmApi, stream: string) {
  const parser = new SseParser();
  const reader = streamUsageReader(api, "requested");
  for (const event of [...parser.push(stream), ...parser.end()]) {
    reader.push(event);
  }
  return reader;
}

describe("OpenAI stream usage", () => {
  it("reads the final usage chunk when include_usage is set", async () => {
    const response = await callOpenAi({
      stream: true,
      includeUsage: true,
      directives: "prompt=1000,completion=100,cache-read=200,reasoning=40",
    });

    const reader = await readAll("openai", response, "gpt-4o");

    expect(reader.complete).toBe(true);
    expect(reader.failure).toBeUndefined();
    expect(reader.usage).toEqual({
      model: "gpt-4o",
      response_id: "chatcmpl-fake-0001",
      prompt_tokens: 1000,
      completion_tokens: 100,
      cache_read_tokens: 200,
      cache_write_tokens: 0,
      reasoning_tokens: 40,
      usage_reported: true,
    });
  });

  it("reports usage as unreported when the stream carries none", async () => {
    const response = await callOpenAi({ stream: true, includeUsage: false });

    const reader = await readAll("openai", response, "gpt-4o");

    expect(reader.complete).toBe(true);
    expect(reader.usage.usage_reported).toBe(false);
    expect(reader.usage.response_id).toBe("chatcmpl-fake-0001");
  });

  it("reports a chunk that is not JSON as a failure", async () => {
    const response = await callOpenAi({
      stream: true,
      includeUsage: true,
      directives: "malformed",
    });

    const reader = await readAll("openai", response, "gpt-4o");

    expect(reader.failure).toMatch(/not JSON/);
  });

  it("reports an error object inside the stream as a failure", () => {
    const reader = feed(
      "openai",
      'data: {"error": {"message": "overloaded"}}\n\n',
    );

    expect(reader.failure).toBe("overloaded");
    expect(reader.complete).toBe(false);
  });
});

describe("Anthropic stream usage", () => {
  it("normalises message_start's input and message_delta's output", async () => {
    const response = await callAnthropic({
      stream: true,
      model: "claude-x",
      directives: "prompt=1000,completion=100,cache-read=300,cache-write=100",
    });

    const reader = await readAll("anthropic", response, "claude-x");

    expect(reader.complete).toBe(true);
    expect(reader.usage).toEqual({
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

  it("takes message_delta's counts as running totals, not increments", () => {
    const start = {
      type: "message_start",
      message: {
        id: "msg_1",
        model: "claude-x",
        usage: { input_tokens: 10, output_tokens: 1 },
      },
    };
    const delta = (output: number) => ({
      type: "message_delta",
      delta: {},
      usage: { output_tokens: output },
    });
    const stream = [start, delta(20), delta(35)]
      .map((data) => `data: ${JSON.stringify(data)}\n\n`)
      .join("");

    const reader = feed("anthropic", stream);

    expect(reader.usage.completion_tokens).toBe(35);
    expect(reader.usage.prompt_tokens).toBe(10);
  });

  it("lets message_delta's input counts replace message_start's", () => {
    const stream =
      'data: {"type":"message_start","message":{"usage":' +
      '{"input_tokens":5,"cache_read_input_tokens":0,"output_tokens":1}}}\n\n' +
      'data: {"type":"message_delta","usage":{"input_tokens":6,' +
      '"cache_read_input_tokens":400,"output_tokens":21}}\n\n';

    const reader = feed("anthropic", stream);

    expect(reader.usage.prompt_tokens).toBe(406);
    expect(reader.usage.cache_read_tokens).toBe(400);
    expect(reader.usage.completion_tokens).toBe(21);
  });

  it("keeps message_start's counts when the stream stops early", () => {
    const reader = feed(
      "anthropic",
      'data: {"type":"message_start","message":{"id":"msg_2","model":"m",' +
        '"usage":{"input_tokens":50,"cache_creation_input_tokens":25,' +
        '"output_tokens":1}}}\n\n',
    );

    expect(reader.complete).toBe(false);
    expect(reader.usage.prompt_tokens).toBe(75);
    expect(reader.usage.usage_reported).toBe(true);
  });

  it("reports an error event as a failure", () => {
    const reader = feed(
      "anthropic",
      "event: error\n" +
        'data: {"type":"error","error":{"type":"overloaded_error",' +
        '"message":"Overloaded"}}\n\n',
    );

    expect(reader.failure).toBe("Overloaded");
  });
});
