import { describe, expect, it, vi } from "vitest";
import {
  ClientClosedError,
  openConversation,
  ServiceError,
  type FetchLike,
} from "../../../src/client/index.js";
import {
  FAST_RETRY,
  scriptedFetch,
  STORED,
  type Reply,
} from "./support/scripted-fetch.js";

function open(fetch: FetchLike, extra: { maxAttempts?: number } = {}) {
  return openConversation({
    baseUrl: "http://127.0.0.1:9",
    conversationId: "c-unit",
    apiKey: "unit-key",
    fetch,
    retry: { ...FAST_RETRY, maxAttempts: extra.maxAttempts ?? 10 },
    onError: () => undefined,
  });
}

const unavailable: Reply = {
  status: 503,
  body: { error: { type: "unavailable", message: "Try again." } },
};

describe("the write queue", () => {
  it("sends operations added in one go in one request", async () => {
    const { fetch, calls } = scriptedFetch(() => STORED);
    const conversation = open(fetch);
    const agent = conversation.metrics("agent", "gpt-4o");

    agent.addCost(0.01);
    agent.addResponseLatency(1.5, "r1");
    agent.addTokenUsage({ prompt_tokens: 10, completion_tokens: 5 });
    await conversation.flush();

    expect(calls.map((call) => call.operations.length)).toEqual([3]);
  });

  it("posts to the conversation's operations route with the key", async () => {
    const { fetch, calls } = scriptedFetch(() => STORED);
    const conversation = open(fetch);

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    await conversation.flush();

    expect(calls[0]?.url).toBe(
      "http://127.0.0.1:9/v1/conversations/c-unit/operations",
    );
    expect(calls[0]?.init.headers.authorization).toBe("Bearer unit-key");
  });

  it("sends the same ids again after two 503s, then resolves", async () => {
    const { fetch, calls } = scriptedFetch((i) =>
      i < 2 ? unavailable : STORED,
    );
    const conversation = open(fetch);

    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    conversation.metrics("condenser", "gpt-4o").addCost(0.03);
    await conversation.flush();

    const ids = calls.map((call) => call.operations.map((op) => op.id));
    expect(ids).toHaveLength(3);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
  });

  it("retries after a network failure and a 429", async () => {
    const replies: Reply[] = [
      { throws: new TypeError("fetch failed") },
      { status: 429, headers: { "retry-after": "0" } },
      STORED,
    ];
    const { fetch, calls } = scriptedFetch((i) => replies[i] ?? STORED);
    const conversation = open(fetch);

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    await conversation.flush();

    expect(calls).toHaveLength(3);
  });

  it("gives every operation its own id", async () => {
    const { fetch, calls } = scriptedFetch(() => STORED);
    const conversation = open(fetch);

    const agent = conversation.metrics("agent", "gpt-4o");
    for (let i = 0; i < 50; i++) agent.addCost(0.001);
    await conversation.flush();

    const ids = calls.flatMap((call) => call.operations.map((op) => op.id));
    expect(new Set(ids).size).toBe(50);
  });

  it("splits 2500 operations into batches of at most 1000, in order", async () => {
    const { fetch, calls } = scriptedFetch(() => STORED);
    const conversation = open(fetch);
    const agent = conversation.metrics("agent", "gpt-4o");

    const added: number[] = [];
    for (let i = 0; i < 2500; i++) {
      agent.addTokenUsage({ prompt_tokens: i, completion_tokens: 0 });
      added.push(i);
    }
    await conversation.flush();

    expect(calls.map((call) => call.operations.length)).toEqual([
      1000, 1000, 500,
    ]);
    const sent = calls.flatMap((call) =>
      call.operations.map((op) =>
        op.type === "add_token_usage" ? op.prompt_tokens : -1,
      ),
    );
    expect(sent).toEqual(added);
  });

  it("holds later batches until an earlier one is retried through", async () => {
    const { fetch, calls } = scriptedFetch((i) =>
      i === 0 ? unavailable : STORED,
    );
    const conversation = open(fetch);
    const agent = conversation.metrics("agent", "gpt-4o");

    agent.addCost(0.01);
    const first = conversation.flush();
    agent.addCost(0.02);
    await Promise.all([first, conversation.flush()]);

    const costs = calls.map((call) =>
      call.operations.map((op) => (op.type === "add_cost" ? op.cost : null)),
    );
    expect(costs).toEqual([[0.01], [0.01], [0.02]]);
  });

  it("sends a batch refused with 413 again in halves", async () => {
    const { fetch, calls } = scriptedFetch((_, call) =>
      call.operations.length > 2
        ? {
            status: 413,
            body: { error: { type: "payload_too_large", message: "Too big." } },
          }
        : STORED,
    );
    const conversation = open(fetch);
    const agent = conversation.metrics("agent", "gpt-4o");

    for (let i = 0; i < 4; i++) agent.addCost(0.01);
    await conversation.flush();

    expect(calls.map((call) => call.operations.length)).toEqual([4, 2, 2]);
  });
});

describe("errors that retrying cannot fix", () => {
  const refused: Reply = {
    status: 422,
    body: {
      error: { type: "invalid_request", message: "operations[0] is wrong." },
    },
  };

  it("reject flush with the service's type and message, without a retry", async () => {
    const { fetch, calls } = scriptedFetch(() => refused);
    const conversation = open(fetch);

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    const error = await conversation.flush().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      type: "invalid_request",
      message: "operations[0] is wrong.",
      status: 422,
    });
    expect(calls).toHaveLength(1);
  });

  it("hand back the operations that were not stored", async () => {
    const { fetch, calls } = scriptedFetch(() => refused);
    const conversation = open(fetch);

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    const error = (await conversation
      .flush()
      .catch((e: unknown) => e)) as ServiceError;

    expect(error.operations).toEqual(calls[0]?.operations);
  });

  it("reach onError as they happen", async () => {
    const { fetch } = scriptedFetch(() => refused);
    const onError = vi.fn();
    const conversation = openConversation({
      baseUrl: "http://127.0.0.1:9",
      conversationId: "c-unit",
      apiKey: "unit-key",
      fetch,
      onError,
    });

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1));

    expect(onError.mock.calls[0]?.[0]).toMatchObject({
      type: "invalid_request",
    });
  });

  it("reject the next flush when none was waiting", async () => {
    const { fetch, calls } = scriptedFetch(() => refused);
    const conversation = open(fetch);

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    await vi.waitFor(() => expect(calls).toHaveLength(1));
    await conversation.snapshot().catch(() => undefined);

    await expect(conversation.flush()).rejects.toMatchObject({
      type: "invalid_request",
    });
    await expect(conversation.flush()).resolves.toBeUndefined();
  });

  it("leave later batches to be sent", async () => {
    const { fetch, calls } = scriptedFetch((i) => (i === 0 ? refused : STORED));
    const conversation = open(fetch);
    const agent = conversation.metrics("agent", "gpt-4o");

    agent.addCost(0.01);
    await conversation.flush().catch(() => undefined);
    agent.addCost(0.02);
    await conversation.flush();

    expect(calls).toHaveLength(2);
  });

  it("include retries running out, after retry.maxAttempts", async () => {
    const { fetch, calls } = scriptedFetch(() => unavailable);
    const conversation = open(fetch, { maxAttempts: 3 });

    conversation.metrics("agent", "gpt-4o").addCost(0.01);

    await expect(conversation.flush()).rejects.toMatchObject({
      type: "unavailable",
      status: 503,
      transient: true,
    });
    expect(calls).toHaveLength(3);
  });
});

describe("closing", () => {
  it("flushes what is queued", async () => {
    const { fetch, calls } = scriptedFetch(() => STORED);
    const conversation = open(fetch);

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    await conversation.close();

    expect(calls).toHaveLength(1);
  });

  it("refuses later writes", async () => {
    const { fetch } = scriptedFetch(() => STORED);
    const conversation = open(fetch);
    const agent = conversation.metrics("agent", "gpt-4o");

    await conversation.close();

    expect(() => agent.addCost(0.01)).toThrow(ClientClosedError);
  });
});
