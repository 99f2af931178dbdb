/**
 * Calls the fake upstream (test/fake-upstream) over real fetch from inside
 * workerd, as the proxy will.
 */
import { inject } from "vitest";
import { FAKE_HEADER } from "../../fake-upstream/behaviour.js";
import type { RecordedRequest } from "../../fake-upstream/server.js";

/** The fake upstream's base URL, from the globalSetup. */
export function fakeUrl(): string {
  return inject("fakeUpstreamUrl");
}

/** Options of one call to the fake upstream. */
export interface FakeCall {
  model?: string;
  stream?: boolean;
  /** OpenAI's stream_options.include_usage. */
  includeUsage?: boolean;
  /** Directives for the x-fake-upstream header (see behaviour.ts). */
  directives?: string;
  signal?: AbortSignal;
}

/** POSTs an OpenAI chat completions request to the fake upstream. */
export function callOpenAi(call: FakeCall = {}): Promise<Response> {
  return post("/v1/chat/completions", call, {
    model: call.model ?? "gpt-4o",
    messages: [{ role: "user", content: "Hello" }],
    ...(call.stream ? { stream: true } : {}),
    ...(call.includeUsage ? { stream_options: { include_usage: true } } : {}),
  });
}

/** POSTs an Anthropic messages request to the fake upstream. */
export function callAnthropic(call: FakeCall = {}): Promise<Response> {
  return post("/v1/messages", call, {
    model: call.model ?? "claude-sonnet-4-20250514",
    max_tokens: 1024,
    messages: [{ role: "user", content: "Hello" }],
    ...(call.stream ? { stream: true } : {}),
  });
}

/** The requests the fake upstream recorded under `tag`. */
export async function recordedRequests(
  tag: string,
): Promise<RecordedRequest[]> {
  const response = await fetch(`${fakeUrl()}/__requests?tag=${tag}`);
  const body = await response.json<{ requests: RecordedRequest[] }>();
  return body.requests;
}

function post(path: string, call: FakeCall, body: object): Promise<Response> {
  return fetch(`${fakeUrl()}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      [FAKE_HEADER]: call.directives ?? "",
    },
    body: JSON.stringify(body),
    signal: call.signal ?? null,
  });
}
