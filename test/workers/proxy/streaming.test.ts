import { describe, expect, it } from "vitest";
import { recordedRequests } from "../llm/fake.js";
import { freshId } from "../helpers.js";
import {
  anthropicBody,
  freshTag,
  metricsOf,
  openAiBody,
  readerOf,
  readUntil,
  send,
} from "./support.js";

const STREAM = { stream: true };

describe("streamed calls", () => {
  it("records an OpenAI stream's usage from its usage chunk", async () => {
    const id = freshId("st");
    const sent = await send(
      id,
      "chat/completions",
      openAiBody("prompt=1000 cache-read=200 completion=100", STREAM),
    );
    await sent.response.text();
    await sent.settled();

    const metrics = await metricsOf(id);
    expect(metrics.accumulated_token_usage).toMatchObject({
      prompt_tokens: 1000,
      cache_read_tokens: 200,
      completion_tokens: 100,
    });
    expect(metrics.accumulated_cost).toBe(0.00325);
  });

  it("records a stream's time to first token with its latency", async () => {
    const id = freshId("st");
    const sent = await send(
      id,
      "chat/completions",
      openAiBody("first-byte-delay=20 completion=10", STREAM),
    );
    await sent.response.text();
    await sent.settled();

    const [latency] = (await metricsOf(id)).response_latencies;
    expect(latency?.time_to_first_token).toBeGreaterThanOrEqual(0);
    expect(latency?.time_to_first_token).toBeLessThanOrEqual(
      latency?.latency ?? -1,
    );
  });

  it("asks an OpenAI upstream for usage in the stream", async () => {
    const id = freshId("st");
    const tag = freshTag();
    const sent = await send(
      id,
      "chat/completions",
      openAiBody(`tag=${tag}`, STREAM),
    );
    await sent.response.text();
    await sent.settled();

    const [request] = await recordedRequests(tag);
    expect(JSON.parse(request?.body ?? "{}")).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("passes every event of the stream to the client", async () => {
    const id = freshId("st");
    const sent = await send(id, "chat/completions", openAiBody("", STREAM));
    const text = await sent.response.text();
    await sent.settled();

    expect(sent.response.headers.get("content-type")).toContain(
      "text/event-stream",
    );
    expect(text).toContain('"content":"The "');
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });

  it("hands the first chunk on while the upstream holds the rest", async () => {
    const id = freshId("st");
    // The upstream sends two events, then nothing until the client leaves:
    // the first can only arrive if it is passed on as it comes.
    const sent = await send(
      id,
      "chat/completions",
      openAiBody("hang-after=2", STREAM),
    );
    const reader = readerOf(sent.response);

    const first = await readUntil(reader, '"role":"assistant"');
    await reader.cancel();
    await sent.settled();

    expect(first).toContain("chatcmpl-fake-0001");
  });

  it("records an OpenAI stream the client cancels as an unpriced call", async () => {
    const id = freshId("st");
    const sent = await send(
      id,
      "chat/completions",
      openAiBody("hang-after=3", STREAM),
    );
    const reader = readerOf(sent.response);

    await readUntil(reader, '"content":"The "');
    await reader.cancel();
    await sent.settled();

    // OpenAI reports usage only at the end: all that is known is that the
    // call ran, how long, and that its cost is unknown.
    const metrics = await metricsOf(id);
    expect(metrics.unpriced_calls).toBe(1);
    expect(metrics.response_latencies).toHaveLength(1);
    expect(metrics.token_usages).toEqual([]);
  });

  it("records the prompt of an Anthropic stream the client cancels", async () => {
    const id = freshId("st");
    const sent = await send(
      id,
      "messages",
      anthropicBody("prompt=1000 hang-after=3", STREAM),
    );
    const reader = readerOf(sent.response);

    await readUntil(reader, "event: ping");
    await reader.cancel();
    await sent.settled();

    // message_start told 1000 input tokens and 1 output token so far:
    // 1000 * 3e-6 + 1 * 15e-6 USD at claude-sonnet-4's rates.
    const metrics = await metricsOf(id);
    expect(metrics.accumulated_token_usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 1,
    });
    expect(metrics.accumulated_cost).toBe(0.003015);
  });

  it("carries the spend before the call and the hold in headers", async () => {
    const id = freshId("st");
    const sent = await send(id, "chat/completions", openAiBody("", STREAM));
    await sent.response.text();
    await sent.settled();

    const headers = sent.response.headers;
    expect(headers.get("x-metrics-conversation-cost-before")).toBe("0");
    expect(Number(headers.get("x-metrics-call-reserved"))).toBeGreaterThan(0);
    expect(headers.has("x-metrics-call-cost")).toBe(false);
  });
});
