import { describe, expect, it } from "vitest";
import { recordedRequests } from "../llm/fake.js";
import { API_KEY, call, freshId } from "../helpers.js";
import {
  anthropicBody,
  freshTag,
  openAiBody,
  send,
  type CallRoute,
} from "./support.js";

/** A key no response, log line or stored operation may ever show. */
function upstreamKey(): string {
  return `sk-upstream-${crypto.randomUUID()}`;
}

/** Everything a caller sees of a response: status line, headers, body. */
async function seen(response: Response): Promise<string> {
  const headers = [...response.headers].map(([k, v]) => `${k}: ${v}`);
  return `${response.status}\n${headers.join("\n")}\n${await response.text()}`;
}

describe("the upstream key", () => {
  it("goes to an OpenAI upstream in place of the caller's key", async () => {
    const key = upstreamKey();
    const tag = freshTag();
    await send(freshId("key"), "chat/completions", openAiBody(`tag=${tag}`), {
      env: { LLM_API_KEY: key },
    });

    const [request] = await recordedRequests(tag);
    expect(request?.headers.authorization).toBe(`Bearer ${key}`);
    expect(JSON.stringify(request)).not.toContain(API_KEY);
  });

  it("goes to Anthropic as x-api-key, with a default version", async () => {
    const key = upstreamKey();
    const tag = freshTag();
    await send(freshId("key"), "messages", anthropicBody(`tag=${tag}`), {
      env: { ANTHROPIC_API_KEY: key },
    });

    const [request] = await recordedRequests(tag);
    expect(request?.headers["x-api-key"]).toBe(key);
    expect(request?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(request?.headers.authorization).toBeUndefined();
  });

  it("passes the caller's anthropic-version on", async () => {
    const tag = freshTag();
    await send(freshId("key"), "messages", anthropicBody(`tag=${tag}`), {
      headers: { "anthropic-version": "2024-01-01" },
    });

    const [request] = await recordedRequests(tag);
    expect(request?.headers["anthropic-version"]).toBe("2024-01-01");
  });

  it("never appears in responses or stored operations", async () => {
    const key = upstreamKey();
    const id = freshId("key");
    const env = { LLM_API_KEY: key, ANTHROPIC_API_KEY: key };
    const calls: [CallRoute, object][] = [
      ["chat/completions", openAiBody("")],
      ["chat/completions", openAiBody("", { stream: true })],
      ["chat/completions", openAiBody("cut=3", { stream: true })],
      ["chat/completions", openAiBody("status=400")],
      ["chat/completions", openAiBody("status=401")],
      ["messages", anthropicBody("status=500")],
      ["messages", anthropicBody("", { stream: true })],
    ];

    const texts: string[] = [];
    for (const [route, body] of calls) {
      const sent = await send(id, route, body, { env });
      texts.push(await seen(sent.response));
      await sent.settled();
    }
    const stored = await call("GET", `/v1/conversations/${id}/operations`);

    expect(JSON.stringify(stored.json)).toContain("chatcmpl-fake-0001");
    for (const text of [...texts, JSON.stringify(stored.json)]) {
      expect(text).not.toContain(key);
    }
  });
});
