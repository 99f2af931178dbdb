import { describe, expect, it } from "vitest";
import { backoffDelayMs, retryAfterMs } from "../../../src/client/backoff.js";
import { socketUrl } from "../../../src/client/socket-url.js";
import {
  NegativeCostError,
  openConversation,
} from "../../../src/client/index.js";
import { scriptedFetch, STORED } from "./support/scripted-fetch.js";

describe("backoff", () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1000 };

  it("doubles the wait per attempt up to the maximum", () => {
    const ceilings = [0, 1, 2, 3, 4, 10].map((attempt) =>
      backoffDelayMs(attempt, options, () => 1),
    );
    expect(ceilings).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("waits at least half the ceiling, whatever the jitter", () => {
    expect(backoffDelayMs(3, options, () => 0)).toBe(400);
  });

  it("reads Retry-After in seconds and ignores a date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:00 GMT")).toBeNull();
  });
});

describe("the socket URL", () => {
  it("turns https into wss and keeps a path prefix", () => {
    const url = socketUrl("https://example.com/metrics", "c 1", {
      after: null,
      token: null,
    });
    expect(url).toBe("wss://example.com/metrics/v1/conversations/c%201/ws");
  });

  it("carries the last seq and the token in the query", () => {
    const url = socketUrl("http://127.0.0.1:8787", "c1", {
      after: 42,
      token: "cmt1.a+b.c",
    });
    expect(new URL(url).searchParams.get("after")).toBe("42");
    expect(new URL(url).searchParams.get("token")).toBe("cmt1.a+b.c");
  });
});

describe("options", () => {
  it("name the option at fault", () => {
    expect(() => openConversation({ batch: { maxOperations: 2000 } })).toThrow(
      "batch.maxOperations must be a whole number from 1 to 1000.",
    );
  });

  it("require a conversation id with a base URL", () => {
    expect(() =>
      openConversation({ baseUrl: "http://127.0.0.1:1", apiKey: "k" }),
    ).toThrow("conversationId is required with baseUrl.");
  });

  it("require exactly one of apiKey and token", () => {
    expect(() =>
      openConversation({
        baseUrl: "http://127.0.0.1:1",
        conversationId: "c1",
        apiKey: "k",
        token: "t",
      }),
    ).toThrow(/exactly one of apiKey/);
  });
});

describe("a conversation handle", () => {
  it("counts operations queued and not yet stored", async () => {
    const { fetch } = scriptedFetch(() => STORED);
    const conversation = openConversation({
      baseUrl: "http://127.0.0.1:1",
      conversationId: "c1",
      apiKey: "k",
      fetch,
    });

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    conversation.metrics("agent", "gpt-4o").addCost(0.02);
    expect(conversation.pending).toBe(2);

    await conversation.flush();
    expect(conversation.pending).toBe(0);
  });

  it("gives the same handle for the same source and model", () => {
    const conversation = openConversation();
    expect(conversation.metrics("agent", "gpt-4o")).toBe(
      conversation.metrics("agent", "gpt-4o"),
    );
  });

  it("checks operations sent again by the service's rules", () => {
    const conversation = openConversation();
    const op = {
      id: "op-1",
      type: "add_cost" as const,
      source: "agent",
      model: "gpt-4o",
      cost: -1,
    };

    expect(() => conversation.send([op])).toThrow(NegativeCostError);
  });
});
