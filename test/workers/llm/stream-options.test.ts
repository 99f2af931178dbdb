import { describe, expect, it } from "vitest";
import { meterStream } from "../../../src/llm/stream-meter.js";
import { withStreamUsage } from "../../../src/llm/stream-options.js";
import { fakeUrl } from "./fake.js";

describe("withStreamUsage", () => {
  it("asks a streaming request for usage, keeping its other options", () => {
    const body = { model: "m", stream: true, stream_options: { x: 1 } };

    expect(withStreamUsage(body)).toEqual({
      body: {
        model: "m",
        stream: true,
        stream_options: { x: 1, include_usage: true },
      },
      added: true,
    });
  });

  it("leaves a request that already asks for usage alone", () => {
    const body = { stream: true, stream_options: { include_usage: true } };

    expect(withStreamUsage(body)).toEqual({ body, added: false });
  });

  it("leaves a non-streaming request alone", () => {
    const body = { model: "m" };

    expect(withStreamUsage(body)).toEqual({ body, added: false });
  });

  it("gets a metered usage from an upstream that sends it only when asked", async () => {
    const { body } = withStreamUsage({
      model: "gpt-4o",
      stream: true,
      messages: [{ role: "user", content: "Hi [fake: prompt=42]" }],
    });
    const response = await fetch(`${fakeUrl()}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify(body),
    });
    if (response.body === null) {
      throw new Error("no body");
    }

    const { stream, result } = meterStream(response.body, {
      api: "openai",
      requestedModel: "gpt-4o",
    });
    await new Response(stream).text();

    expect((await result).usage.prompt_tokens).toBe(42);
  });
});
