import { describe, expect, it } from "vitest";
import { fakeDirectives } from "../../fake-upstream/behaviour.js";
import {
  callAnthropic,
  callOpenAi,
  fakeUrl,
  recordedRequests,
} from "./fake.js";

describe("fake upstream", () => {
  it("records each request it receives, by tag", async () => {
    const tag = crypto.randomUUID();
    await (await callOpenAi({ directives: `tag=${tag}` })).text();
    await (await callAnthropic({ directives: `tag=${tag}` })).text();

    const requests = await recordedRequests(tag);
    expect(requests.map((r) => r.path)).toEqual([
      "/v1/chat/completions",
      "/v1/messages",
    ]);
  });

  it("forgets a tag's requests on DELETE", async () => {
    const tag = crypto.randomUUID();
    await (await callOpenAi({ directives: `tag=${tag}` })).text();

    await fetch(`${fakeUrl()}/__requests?tag=${tag}`, { method: "DELETE" });

    expect(await recordedRequests(tag)).toEqual([]);
  });

  it("reads directives from a [fake: ...] tag in a message", async () => {
    const response = await fetch(`${fakeUrl()}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: "gpt-4o",
        messages: [{ role: "user", content: fakeDirectives("status=503") }],
      }),
    });
    await response.text();

    expect(response.status).toBe(503);
  });

  it("fails with OpenAI's error body when asked", async () => {
    const response = await callOpenAi({ directives: "status=500" });

    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { type: "server_error" },
    });
  });

  it("fails with Anthropic's error body when asked", async () => {
    const response = await callAnthropic({ directives: "status=529" });

    expect(response.status).toBe(529);
    expect(await response.json()).toMatchObject({
      type: "error",
      error: { type: "api_error" },
    });
  });

  it("refuses a directive it does not know", async () => {
    const response = await callOpenAi({ directives: "cachd" });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { message: "Unknown fake-upstream directives: cachd." },
    });
  });
});
