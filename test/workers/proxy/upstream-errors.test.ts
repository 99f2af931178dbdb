import { describe, expect, it } from "vitest";
import { freshId } from "../helpers.js";
import {
  anthropicBody,
  heldUsd,
  metricsOf,
  openAiBody,
  send,
} from "./support.js";

interface ErrorBody {
  error: { type: string; message: string };
}

/** A short timeout, so that a silent upstream fails the call quickly. */
const SHORT_TIMEOUT = { UPSTREAM_TIMEOUT_MS: "300" };

describe("upstream failures", () => {
  it("turns an upstream 500 into 502 upstream_error", async () => {
    const id = freshId("err");
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody("status=500"),
    );

    const body = await response.json<ErrorBody>();
    expect(response.status).toBe(502);
    expect(body.error.type).toBe("upstream_error");
    expect(body.error.message).toContain(
      "The fake upstream failed with status 500.",
    );
  });

  it("records nothing and holds nothing after an upstream 500", async () => {
    const id = freshId("err");
    await send(id, "chat/completions", openAiBody("status=500"));

    expect((await metricsOf(id)).seq).toBe(0);
    expect(await heldUsd(id)).toBe(0);
  });

  it("passes an upstream 400 on with the upstream's message", async () => {
    const id = freshId("err");
    const { response } = await send(
      id,
      "messages",
      anthropicBody("status=400"),
    );

    const body = await response.json<ErrorBody>();
    expect(response.status).toBe(400);
    expect(body.error.type).toBe("upstream_refused");
    expect(body.error.message).toContain(
      "The fake upstream failed with status 400.",
    );
    expect(await heldUsd(id)).toBe(0);
  });

  it("reports an upstream 401 as our key's fault, not the caller's", async () => {
    const id = freshId("err");
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody("status=401"),
    );

    const body = await response.json<ErrorBody>();
    expect(response.status).toBe(502);
    expect(body.error.type).toBe("upstream_auth_failed");
    expect(body.error.message).toContain("LLM_API_KEY");
  });

  it("turns a malformed JSON answer into 502 and records it unpriced", async () => {
    const id = freshId("err");
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody("malformed"),
    );

    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { type: "upstream_error" },
    });
    expect((await metricsOf(id)).unpriced_calls).toBe(1);
    expect(await heldUsd(id)).toBe(0);
  });

  it("turns an unreachable upstream into 502 and holds nothing", async () => {
    const id = freshId("err");
    const { response } = await send(id, "chat/completions", openAiBody(""), {
      env: { LLM_BASE_URL: "http://127.0.0.1:9/v1" },
    });

    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({
      error: { type: "upstream_error" },
    });
    expect(await heldUsd(id)).toBe(0);
  });

  it("turns an upstream that does not answer in time into 504", async () => {
    const id = freshId("err");
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody("delay=5000"),
      { env: SHORT_TIMEOUT },
    );

    const body = await response.json<ErrorBody>();
    expect(response.status).toBe(504);
    expect(body.error.type).toBe("upstream_timeout");
    expect(body.error.message).toContain("300 ms");
    expect(await heldUsd(id)).toBe(0);
  });

  it("ends a cut stream with an error event", async () => {
    const id = freshId("err");
    const sent = await send(
      id,
      "chat/completions",
      openAiBody("cut=3", { stream: true }),
    );
    const text = await sent.response.text();
    await sent.settled();

    const last = text.trimEnd().split("\n").at(-1) ?? "";
    expect(JSON.parse(last.replace(/^data: /, ""))).toMatchObject({
      error: { type: "upstream_error" },
    });
  });

  it("records a cut stream as unpriced and lets go of its hold", async () => {
    const id = freshId("err");
    const sent = await send(
      id,
      "chat/completions",
      openAiBody("cut=3", { stream: true }),
    );
    await sent.response.text();
    await sent.settled();

    expect((await metricsOf(id)).unpriced_calls).toBe(1);
    expect(await heldUsd(id)).toBe(0);
  });

  it("ends an Anthropic stream that goes quiet with a timeout event", async () => {
    const id = freshId("err");
    const sent = await send(
      id,
      "messages",
      anthropicBody("hang-after=3", { stream: true }),
      { env: SHORT_TIMEOUT },
    );
    const text = await sent.response.text();
    await sent.settled();

    const events = text.trimEnd().split("\n\n");
    expect(events.at(-1)).toContain("event: error");
    expect(events.at(-1)).toContain('"type":"upstream_timeout"');
    expect(await heldUsd(id)).toBe(0);
  });

  it("refuses every call while UPSTREAM_TIMEOUT_MS is invalid", async () => {
    const id = freshId("err");
    const { response } = await send(id, "chat/completions", openAiBody(""), {
      env: { UPSTREAM_TIMEOUT_MS: "soon" },
    });

    const body = await response.json<ErrorBody>();
    expect(response.status).toBe(503);
    expect(body.error.type).toBe("invalid_configuration");
    expect(body.error.message).toContain("UPSTREAM_TIMEOUT_MS");
  });
});
