import { describe, expect, it } from "vitest";
import { meterStream } from "../../../src/llm/stream-meter.js";
import { callAnthropic, callOpenAi } from "./fake.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A source whose chunks exist only once the test sends them. */
function gatedSource() {
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  const source = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  return {
    source,
    send(text: string): Uint8Array {
      const bytes = encoder.encode(text);
      controller?.enqueue(bytes);
      return bytes;
    },
    close: () => controller?.close(),
  };
}

/** Reads from `reader` until the text so far includes `marker`. */
async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  marker: string,
): Promise<string> {
  let text = "";
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) {
      throw new Error(`the stream ended before "${marker}"`);
    }
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

function bodyOf(response: Response): ReadableStream {
  if (response.body === null) {
    throw new Error("the fake upstream sent no body");
  }
  return response.body;
}

describe("meterStream", () => {
  it("hands each chunk on before the next one exists", async () => {
    const gate = gatedSource();
    const { stream } = meterStream(gate.source, {
      api: "openai",
      requestedModel: "gpt-4o",
    });
    const reader = stream.getReader();

    const first = gate.send('data: {"id":"a"}\n\n');
    const firstRead = await reader.read();
    const second = gate.send("data: [DONE]\n\n");
    const secondRead = await reader.read();

    expect(firstRead.value).toEqual(first);
    expect(secondRead.value).toEqual(second);
  });

  it("passes an upstream stream through byte for byte", async () => {
    const call = { stream: true, includeUsage: true };
    const direct = await (await callOpenAi(call)).text();

    const { stream } = meterStream(bodyOf(await callOpenAi(call)), {
      api: "openai",
      requestedModel: "gpt-4o",
    });

    expect(await new Response(stream).text()).toBe(direct);
  });

  it("reports an OpenAI stream's usage chunk once it completes", async () => {
    const response = await callOpenAi({
      stream: true,
      includeUsage: true,
      directives: "prompt=1000,completion=100,cache-read=200",
    });
    const { stream, result } = meterStream(bodyOf(response), {
      api: "openai",
      requestedModel: "gpt-4o",
    });

    await new Response(stream).text();
    const metered = await result;

    expect(metered.outcome).toBe("completed");
    expect(metered.usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 100,
      cache_read_tokens: 200,
      usage_reported: true,
    });
    expect(metered.time_to_first_byte_seconds).not.toBeNull();
  });

  it("reports an Anthropic stream's normalised usage", async () => {
    const response = await callAnthropic({
      stream: true,
      directives: "prompt=1000,completion=100,cache-read=300,cache-write=100",
    });
    const { stream, result } = meterStream(bodyOf(response), {
      api: "anthropic",
      requestedModel: "claude-x",
    });

    await new Response(stream).text();
    const metered = await result;

    expect(metered.outcome).toBe("completed");
    expect(metered.usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 100,
      cache_read_tokens: 300,
      cache_write_tokens: 100,
    });
  });

  it("reports what was known when the client cancels mid-stream", async () => {
    const response = await callAnthropic({
      stream: true,
      model: "claude-x",
      directives: "prompt=800,cache-read=200,hang-after=4",
    });
    const { stream, result } = meterStream(bodyOf(response), {
      api: "anthropic",
      requestedModel: "claude-x",
    });
    const reader = stream.getReader();

    await readUntil(reader, "content_block_delta");
    await reader.cancel("client went away");
    const metered = await result;

    expect(metered.outcome).toBe("client_aborted");
    expect(metered.usage).toMatchObject({
      model: "claude-x",
      response_id: "msg_fake_0001",
      prompt_tokens: 800,
      cache_read_tokens: 200,
      completion_tokens: 1,
      usage_reported: true,
    });
  });

  it("reports an OpenAI stream cancelled before its usage as unreported", async () => {
    const response = await callOpenAi({
      stream: true,
      includeUsage: true,
      directives: "hang-after=2",
    });
    const { stream, result } = meterStream(bodyOf(response), {
      api: "openai",
      requestedModel: "gpt-4o",
    });
    const reader = stream.getReader();

    await readUntil(reader, '"content":"The "');
    await reader.cancel();
    const metered = await result;

    expect(metered.outcome).toBe("client_aborted");
    expect(metered.usage.response_id).toBe("chatcmpl-fake-0001");
    expect(metered.usage.usage_reported).toBe(false);
  });

  it("reports an upstream that drops the connection mid-stream", async () => {
    const response = await callAnthropic({
      stream: true,
      directives: "prompt=500,cut=4",
    });
    const { stream, result } = meterStream(bodyOf(response), {
      api: "anthropic",
      requestedModel: "claude-x",
    });

    await expect(new Response(stream).text()).rejects.toThrow();
    const metered = await result;

    expect(metered.outcome).toBe("upstream_failed");
    expect(metered.error).toMatch(/failed before it ended/);
    expect(metered.usage.prompt_tokens).toBe(500);
  });

  it("reports a stream that ends cleanly before its end marker", async () => {
    const gate = gatedSource();
    const { stream, result } = meterStream(gate.source, {
      api: "openai",
      requestedModel: "gpt-4o",
    });

    gate.send('data: {"id":"a","choices":[{"delta":{}}]}\n\n');
    gate.close();
    await new Response(stream).text();
    const metered = await result;

    expect(metered.outcome).toBe("upstream_failed");
    expect(metered.error).toMatch(/ended before its end marker/);
  });

  it("reports a malformed event as an upstream failure", async () => {
    const response = await callOpenAi({
      stream: true,
      includeUsage: true,
      directives: "malformed",
    });
    const { stream, result } = meterStream(bodyOf(response), {
      api: "openai",
      requestedModel: "gpt-4o",
    });

    await new Response(stream).text();
    const metered = await result;

    expect(metered.outcome).toBe("upstream_failed");
    expect(metered.error).toMatch(/not JSON/);
  });

  it("reports no first byte for a stream that sent none", async () => {
    const gate = gatedSource();
    const { stream, result } = meterStream(gate.source, {
      api: "openai",
      requestedModel: "gpt-4o",
    });

    gate.close();
    await new Response(stream).text();

    expect((await result).time_to_first_byte_seconds).toBeNull();
  });

  it("keeps the first ending when the client cancels after the end", async () => {
    const gate = gatedSource();
    const { stream, result } = meterStream(gate.source, {
      api: "openai",
      requestedModel: "gpt-4o",
    });
    const reader = stream.getReader();

    gate.send("data: [DONE]\n\n");
    gate.close();
    await reader.read();
    await reader.read();
    await reader.cancel();

    expect((await result).outcome).toBe("completed");
  });
});
