import { describe, expect, it } from "vitest";
import {
  InvalidOperationError,
  NegativeCostError,
  openConversation,
  type MetricsUpdate,
} from "../../../src/client/index.js";

describe("a conversation with no service", () => {
  it("is local", () => {
    expect(openConversation().local).toBe(true);
  });

  it("totals the seed example to exactly 0.06", async () => {
    const conversation = openConversation();

    conversation.metrics("draft_editor", "gpt-4o").addCost(0.01);
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    conversation.metrics("title_generator", "gpt-4o").addCost(0.03);

    const snapshot = await conversation.snapshot();
    expect(snapshot.accumulated_cost).toBe(0.06);
    expect(snapshot.by_source.condenser?.accumulated_cost).toBe(0.02);
  });

  it("shows the seed example's total to a subscriber", async () => {
    const conversation = openConversation();
    const updates: MetricsUpdate[] = [];
    const subscription = conversation.subscribe((u) => updates.push(u));
    await subscription.ready;

    conversation.metrics("draft_editor", "gpt-4o").addCost(0.01);
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    conversation.metrics("title_generator", "gpt-4o").addCost(0.03);
    await conversation.flush();
    await Promise.resolve();

    expect(updates.at(-1)?.totals.accumulated_cost).toBe(0.06);
    subscription.close();
  });

  it("refuses a negative cost with OpenHands' sentence", () => {
    const agent = openConversation().metrics("agent", "gpt-4o");

    expect(() => agent.addCost(-0.01)).toThrow(NegativeCostError);
    expect(() => agent.addCost(-0.01)).toThrow(
      "Added cost cannot be negative.",
    );
  });

  it("stores nothing for a refused cost", async () => {
    const conversation = openConversation();
    const agent = conversation.metrics("agent", "gpt-4o");

    expect(() => agent.addCost(-1)).toThrow();

    expect((await conversation.snapshot()).seq).toBe(0);
    expect(agent.own.accumulatedCost).toBe(0);
  });

  it("clamps a negative latency to 0", async () => {
    const conversation = openConversation();
    conversation.metrics("agent", "gpt-4o").addResponseLatency(-2, "r1");

    const snapshot = await conversation.snapshot();
    expect(snapshot.response_latencies[0]?.latency).toBe(0);
  });

  it("sums tokens, keeps the largest window and the latest turn", async () => {
    const conversation = openConversation();
    const agent = conversation.metrics("agent", "gpt-4o");

    agent.addTokenUsage({
      prompt_tokens: 100,
      completion_tokens: 10,
      cache_read_tokens: 40,
      context_window: 8000,
    });
    agent.addTokenUsage({
      prompt_tokens: 5,
      completion_tokens: 1,
      context_window: 4000,
    });

    const usage = (await conversation.snapshot()).accumulated_token_usage;
    expect(usage).toMatchObject({
      prompt_tokens: 105,
      completion_tokens: 11,
      cache_read_tokens: 40,
      context_window: 8000,
      per_turn_token: 6,
    });
  });

  it("counts unpriced calls per source", async () => {
    const conversation = openConversation();
    conversation.metrics("title_generator", "mystery-model").addUnpricedCall();

    const snapshot = await conversation.snapshot();
    expect(snapshot.unpriced_calls).toBe(1);
    expect(snapshot.by_source.title_generator?.unpriced_calls).toBe(1);
  });

  it("applies an operation sent twice once", async () => {
    const conversation = openConversation();
    const op = {
      id: "op-1",
      type: "add_cost" as const,
      source: "agent",
      model: "gpt-4o",
      cost: 0.5,
    };

    conversation.send([op]);
    conversation.send([op]);

    expect((await conversation.snapshot()).accumulated_cost).toBe(0.5);
  });

  it("keeps each handle's own calls as a plain Metrics", () => {
    const conversation = openConversation();
    const editor = conversation.metrics("draft_editor", "gpt-4o");

    editor.addCost(0.01);
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);

    expect(editor.own.get()).toMatchObject({
      accumulated_cost: 0.01,
      model_name: "draft_editor:gpt-4o",
    });
  });

  it("gives a source its share of the record", async () => {
    const conversation = openConversation();
    conversation.metrics("condenser", "gpt-4o").addCost(0.02);
    conversation.metrics("condenser", "gpt-4o-mini").addCost(0.01);
    conversation.metrics("agent", "gpt-4o").addCost(1);

    const share = await conversation
      .metrics("condenser", "gpt-4o")
      .sourceSnapshot();
    expect(share.accumulated_cost).toBe(0.03);
    expect(share.costs).toHaveLength(2);
  });

  it("refuses values the service would refuse", () => {
    const agent = openConversation().metrics("agent", "gpt-4o");

    expect(() => agent.addCost(Number.NaN)).toThrow(InvalidOperationError);
    expect(() =>
      agent.addTokenUsage({ prompt_tokens: 1.5, completion_tokens: 0 }),
    ).toThrow(InvalidOperationError);
    expect(() => openConversation().metrics("bad source!", "m")).toThrow(
      InvalidOperationError,
    );
  });
});

describe("a local subscription", () => {
  it("starts with a snapshot of what is already there", async () => {
    const conversation = openConversation();
    conversation.metrics("agent", "gpt-4o").addCost(0.25);
    const updates: MetricsUpdate[] = [];

    const subscription = conversation.subscribe((u) => updates.push(u));
    await subscription.ready;

    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({
      kind: "snapshot",
      seq: 1,
      totals: { accumulated_cost: 0.25 },
    });
    subscription.close();
  });

  it("delivers each operation once, in seq order", async () => {
    const conversation = openConversation();
    const updates: MetricsUpdate[] = [];
    const subscription = conversation.subscribe((u) => updates.push(u));
    const agent = conversation.metrics("agent", "gpt-4o");

    for (let i = 0; i < 5; i++) {
      agent.addCost(0.01);
      await Promise.resolve();
    }
    await subscription.ready;
    await Promise.resolve();

    const seqs = updates.flatMap((u) => u.operations.map((op) => op.seq));
    expect(seqs).toEqual([1, 2, 3, 4, 5]);
    subscription.close();
  });

  it("stops after close", async () => {
    const conversation = openConversation();
    const updates: MetricsUpdate[] = [];
    const subscription = conversation.subscribe((u) => updates.push(u));
    await subscription.ready;

    subscription.close();
    conversation.metrics("agent", "gpt-4o").addCost(0.01);
    await Promise.resolve();

    expect(updates.map((u) => u.kind)).toEqual(["snapshot"]);
  });
});
