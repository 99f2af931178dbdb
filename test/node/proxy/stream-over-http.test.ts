/**
 * A streamed call through `wrangler dev` over real HTTP, with the fake
 * upstream in this process: a client that hangs up mid-stream still gets
 * what was known recorded. The runtime notices the hang-up when the next
 * chunk cannot be written, and cancels the stream; the workerd tests
 * cancel it by hand instead.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeDirectives } from "../../fake-upstream/behaviour.js";
import {
  startFakeUpstream,
  type FakeUpstream,
} from "../../fake-upstream/server.js";
import { startService, type RunningService } from "../support/service.js";

let upstream: FakeUpstream;
let service: RunningService;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  service = await startService({
    vars: {
      LLM_BASE_URL: `${upstream.url}/v1`,
      ANTHROPIC_BASE_URL: upstream.url,
    },
  });
});

afterAll(async () => {
  await service.stop();
  await upstream.close();
});

/** Polls the snapshot until `done` holds (the record runs after the end). */
async function metricsWhen(
  id: string,
  done: (metrics: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  // Up to 30 s: under a loaded machine (other wrangler processes of the
  // suite) the runtime can take seconds to notice the hang-up.
  for (let attempt = 0; attempt < 300; attempt++) {
    const response = await fetch(
      `${service.url}/v1/conversations/${id}/metrics`,
      { headers: { authorization: `Bearer ${service.apiKey}` } },
    );
    const metrics = await response.json<Record<string, unknown>>();
    if (response.ok && done(metrics)) return metrics;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("the call was never recorded");
}

describe("a streamed call over HTTP", () => {
  it("records what was known when the client hangs up mid-stream", async () => {
    const id = `node-stream-${crypto.randomUUID()}`;
    const hangUp = new AbortController();
    const response = await fetch(
      `${service.url}/v1/conversations/${id}/messages`,
      {
        method: "POST",
        signal: hangUp.signal,
        headers: {
          authorization: `Bearer ${service.apiKey}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          model: "claude-sonnet-4-20250514",
          max_tokens: 100,
          stream: true,
          messages: [
            { role: "user", content: fakeDirectives("chunk-delay=400") },
          ],
        }),
      },
    );
    const body = response.body as ReadableStream<Uint8Array> | null;
    if (body === null) throw new Error("no body");
    const reader = body.getReader();

    // The upstream sends an event every 400 ms; leave after the third.
    let text = "";
    const decoder = new TextDecoder();
    while (!text.includes("event: ping")) {
      const { done, value } = await reader.read();
      if (done) throw new Error("the stream ended early");
      text += decoder.decode(value, { stream: true });
    }
    // Closes the connection, as a client that goes away does.
    hangUp.abort();

    // message_start told 1000 input tokens and 1 output token; a stream
    // read to its end would have recorded 100 output tokens instead.
    const metrics = await metricsWhen(id, (m) => m.accumulated_cost !== 0);
    expect(text).toContain("event: message_start");
    expect(metrics.accumulated_cost).toBe(0.003015);
  });
});
