import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { openConversation } from "../../../src/client/index.js";
import { api, startService, type RunningService } from "../support/service.js";
import { gatedSocket } from "./support/gated-socket.js";
import {
  deliveredSeqs,
  lastCost,
  newConversationId,
  openOn,
  record,
  upTo,
} from "./support/open.js";

let service: RunningService;

beforeAll(async () => {
  service = await startService();
});

afterAll(async () => {
  await service?.stop();
});

/** Creates a conversation, as the program that owns it would. */
async function created(): Promise<string> {
  const id = newConversationId();
  const response = await api(service).post("/v1/conversations", {
    conversation_id: id,
  });
  expect(response.status).toBe(201);
  return id;
}

/** Asks the service for a socket token of `access` for `id`. */
async function tokenFor(id: string, access: "read" | "write") {
  const response = await api(service).post<{ token: string }>(
    `/v1/conversations/${id}/tokens`,
    { access },
  );
  expect(response.status).toBe(200);
  return response.body.token;
}

/** A handle that holds a token, not a key, as a browser would. */
function openWithToken(id: string, token: string) {
  const errors: Error[] = [];
  const conversation = openConversation({
    baseUrl: service.url,
    conversationId: id,
    token,
    WebSocket,
    onError: (error) => errors.push(error),
  });
  return { conversation, errors };
}

describe("subscribe over the service's socket", () => {
  it("shows the seed example's total of 0.06 to a subscriber", async () => {
    const { conversation } = openOn(service, await created());
    const { subscription, updates } = record(conversation);
    await subscription.ready;

    conversation.metrics("draft_editor", "gpt-4o").addCost(0.01);
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    conversation.metrics("title_generator", "gpt-4o").addCost(0.03);
    await conversation.flush();

    await vi.waitFor(() => expect(lastCost(updates)).toBe(0.06));
    expect(deliveredSeqs(updates)).toEqual([1, 2, 3]);
    await conversation.close();
  });

  it("starts a late subscriber from a snapshot of what is stored", async () => {
    const { conversation } = openOn(service, newConversationId());
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    await conversation.flush();

    const { subscription, updates } = record(conversation);
    await subscription.ready;

    expect(updates[0]).toMatchObject({
      kind: "snapshot",
      seq: 1,
      totals: { accumulated_cost: 0.02 },
    });
    await conversation.close();
  });

  it("syncs once a conversation that did not exist is written", async () => {
    const { conversation } = openOn(service, newConversationId());
    const { updates } = record(conversation);

    conversation.metrics("agent", "gpt-4o").addCost(0.04);
    await conversation.flush();

    await vi.waitFor(() => expect(lastCost(updates)).toBe(0.04));
    await conversation.close();
  });

  it("replays what it missed while down, each operation once", async () => {
    const gate = gatedSocket();
    const { conversation } = openOn(service, await created(), {
      WebSocket: gate.WebSocket,
    });
    const agent = conversation.metrics("agent", "gpt-4o");
    const { subscription, updates } = record(conversation);
    await subscription.ready;
    for (let i = 0; i < 3; i++) agent.addCost(0.01);
    await conversation.flush();
    await vi.waitFor(() => expect(deliveredSeqs(updates)).toEqual(upTo(3)));

    gate.hold(true);
    gate.cut();
    for (let i = 0; i < 3; i++) agent.addCost(0.01);
    await conversation.flush();
    gate.hold(false);

    await vi.waitFor(() => expect(deliveredSeqs(updates)).toHaveLength(6));
    expect(deliveredSeqs(updates)).toEqual(upTo(6));
    expect(updates.at(-1)).toMatchObject({
      kind: "resync",
      totals: { accumulated_cost: 0.06 },
    });
    expect(gate.urls.at(-1)).toContain("after=3");
    await conversation.close();
  });

  it("keeps delivering after the service restarts", async () => {
    const id = await created();
    const { conversation } = openOn(service, id);
    const { subscription, updates } = record(conversation);
    await subscription.ready;
    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    await conversation.flush();
    await vi.waitFor(() => expect(deliveredSeqs(updates)).toEqual([1]));

    await service.restart();
    const writer = openOn(service, id).conversation;
    writer.metrics("condenser", "gpt-4o").addCost(0.02);
    await writer.close();

    await vi.waitFor(() => expect(deliveredSeqs(updates)).toEqual([1, 2]), {
      timeout: 20_000,
    });
    expect(lastCost(updates)).toBe(0.03);
    await conversation.close();
  });
});

describe("a handle holding a token", () => {
  it("subscribes with a read token", async () => {
    const id = await created();
    const reader = openWithToken(id, await tokenFor(id, "read")).conversation;
    const { subscription, updates } = record(reader);
    await subscription.ready;

    const writer = openOn(service, id).conversation;
    writer.metrics("title_generator", "gpt-4o").addCost(0.03);
    await writer.close();

    await vi.waitFor(() => expect(lastCost(updates)).toBe(0.03));
    await reader.close();
  });

  it("writes the seed example over the socket with a write token", async () => {
    const id = await created();
    const { conversation } = openWithToken(id, await tokenFor(id, "write"));

    conversation.metrics("draft_editor", "gpt-4o").addCost(0.01);
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    conversation.metrics("title_generator", "gpt-4o").addCost(0.03);
    await conversation.flush();

    const snapshot = await conversation.snapshot();
    expect(snapshot.accumulated_cost).toBe(0.06);
    expect(snapshot.seq).toBe(3);
    await conversation.close();
  });

  it("gets read_only refusals for writes with a read token", async () => {
    const id = await created();
    const { conversation } = openWithToken(id, await tokenFor(id, "read"));

    conversation.metrics("agent", "gpt-4o").addCost(0.01);

    await expect(conversation.flush()).rejects.toMatchObject({
      type: "read_only",
      transient: false,
    });
    await conversation.close().catch(() => undefined);
  });
});
