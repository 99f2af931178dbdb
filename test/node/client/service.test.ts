import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  openConversation,
  ServiceError,
  type ConversationSnapshot,
  type FetchLike,
  type OperationInput,
} from "../../../src/client/index.js";
import { startService, type RunningService } from "../support/service.js";
import { newConversationId, openOn } from "./support/open.js";

let service: RunningService;

beforeAll(async () => {
  service = await startService();
});

afterAll(async () => {
  await service?.stop();
});

describe("the client against the running service", () => {
  it("totals the seed example to exactly 0.06 in the snapshot", async () => {
    const { conversation } = openOn(service, newConversationId());

    conversation.metrics("draft_editor", "gpt-4o").addCost(0.01);
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    conversation.metrics("title_generator", "gpt-4o").addCost(0.03);
    await conversation.flush();

    const snapshot = await conversation.snapshot();
    expect(snapshot.accumulated_cost).toBe(0.06);
    expect(snapshot.by_source).toMatchObject({
      draft_editor: { accumulated_cost: 0.01 },
      condenser: { accumulated_cost: 0.02 },
      title_generator: { accumulated_cost: 0.03 },
    });
    await conversation.close();
  });

  it("shares one record between handles in separate clients", async () => {
    const id = newConversationId();
    const first = openOn(service, id).conversation;
    const second = openOn(service, id).conversation;

    first.metrics("agent", "gpt-4o").addCost(0.5);
    second.metrics("condenser", "gpt-4o-mini").addCost(0.25);
    await Promise.all([first.close(), second.close()]);

    const share = await openOn(service, id)
      .conversation.metrics("condenser", "gpt-4o-mini")
      .sourceSnapshot();
    expect(share.accumulated_cost).toBe(0.25);
  });

  it("counts a batch once when its answers are lost twice", async () => {
    let lost = 0;
    const losesAnswers: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      if (init.method !== "POST" || lost >= 2) return response;
      // The service stored the batch; the client never hears so.
      lost += 1;
      await response.text();
      return new Response(null, { status: 503 });
    };
    const { conversation } = openOn(service, newConversationId(), {
      fetch: losesAnswers,
      retry: { initialDelayMs: 10, maxDelayMs: 20 },
    });

    const agent = conversation.metrics("agent", "gpt-4o");
    agent.addCost(0.01);
    agent.addCost(0.02);
    await conversation.flush();

    const snapshot = await conversation.snapshot();
    expect(lost).toBe(2);
    expect(snapshot.accumulated_cost).toBe(0.03);
    expect(snapshot.seq).toBe(2);
  });

  it("stores 2500 operations from three handles exactly once", async () => {
    const { conversation } = openOn(service, newConversationId());
    const sources = ["agent", "condenser", "title_generator"];

    for (let i = 0; i < 2500; i++) {
      const source = sources[i % 3] ?? "agent";
      conversation.metrics(source, "gpt-4o").addCost(0.001);
    }
    await conversation.flush();

    const snapshot = await conversation.snapshot();
    expect(snapshot.seq).toBe(2500);
    expect(snapshot.accumulated_cost).toBe(2.5);
    expect(snapshot.by_source.agent?.accumulated_cost).toBe(0.834);
  });

  it("rejects flush with the service's error for a wrong key", async () => {
    const { conversation } = openOn(service, newConversationId(), {
      apiKey: "not-a-key",
    });

    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    const error = await conversation.flush().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ServiceError);
    expect(error).toMatchObject({
      type: "unauthorized",
      status: 401,
      message: expect.stringContaining("Authorization: Bearer") as string,
      transient: false,
    });
    expect((error as ServiceError).operations).toHaveLength(1);
  });

  it("rejects a snapshot of an unknown conversation with not_found", async () => {
    const { conversation } = openOn(service, newConversationId());

    await expect(conversation.snapshot()).rejects.toMatchObject({
      type: "not_found",
      status: 404,
    });
  });

  it("keeps the same record as a local handle for the same operations", async () => {
    const id = newConversationId();
    const remote = openOn(service, id).conversation;
    const local = openConversation({ conversationId: id });

    for (const conversation of [remote, local]) {
      conversation.send(MIXED_OPERATIONS);
      conversation.send(MIXED_OPERATIONS.slice(0, 2));
    }
    await remote.flush();

    const [fromService, fromLocal] = await Promise.all([
      remote.snapshot(),
      local.snapshot(),
    ]);
    expect(withoutTimestamps(fromLocal)).toEqual(
      withoutTimestamps(fromService),
    );
  });
});

/** Every kind of operation, several sources and models, odd values. */
const MIXED_OPERATIONS: OperationInput[] = [
  { id: "m1", type: "add_cost", source: "agent", model: "gpt-4o", cost: 0.1 },
  {
    id: "m2",
    type: "add_token_usage",
    source: "agent",
    model: "gpt-4o",
    prompt_tokens: 1000,
    completion_tokens: 100,
    cache_read_tokens: 200,
    context_window: 128000,
    response_id: "r1",
  },
  {
    id: "m3",
    type: "add_response_latency",
    source: "agent",
    model: "gpt-4o",
    latency: -0.5,
    response_id: "r1",
  },
  {
    id: "m4",
    type: "add_cost",
    source: "condenser",
    model: "claude-sonnet-4",
    cost: 0.2,
  },
  {
    id: "m5",
    type: "add_token_usage",
    source: "condenser",
    model: "claude-sonnet-4",
    prompt_tokens: 50,
    completion_tokens: 5,
    cache_write_tokens: 7,
    reasoning_tokens: 3,
    context_window: 200000,
  },
  {
    id: "m6",
    type: "add_unpriced_call",
    source: "title_generator",
    model: "mystery-model",
  },
  {
    id: "m7",
    type: "add_cost",
    source: "draft_editor",
    model: "gpt-4o",
    cost: 0.3,
  },
];

/** A snapshot with every `timestamp` field dropped: they differ by nature. */
function withoutTimestamps(snapshot: ConversationSnapshot): unknown {
  return JSON.parse(
    JSON.stringify(snapshot, (key, value: unknown) =>
      key === "timestamp" ? undefined : value,
    ),
  );
}
