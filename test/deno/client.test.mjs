/* global Deno, crypto, fetch, setTimeout -- the web globals Deno has */
/**
 * The client library under Deno, built to plain ES modules and loaded
 * unchanged: Deno's own fetch and WebSocket, no Node APIs. Run by
 * test/node/client/deno.test.ts, which starts the service, builds the
 * client and passes where they are:
 *   CM_CLIENT   file URL of the built client's index.js
 *   CM_URL      the service's base URL
 *   CM_API_KEY  a key the service accepts
 */
import assert from "node:assert/strict";

const { openConversation } = await import(Deno.env.get("CM_CLIENT"));
const baseUrl = Deno.env.get("CM_URL");
const apiKey = Deno.env.get("CM_API_KEY");

/** The seed example: three handles add 0.01, 0.02 and 0.03. */
function addSeedExample(conversation) {
  conversation.metrics("draft_editor", "gpt-4o").addCost(0.01);
  conversation.metrics("condenser", "gpt-4o").addCost(0.02);
  conversation.metrics("title_generator", "gpt-4o").addCost(0.03);
}

/** Resolves once `check` holds for the updates seen, or fails in time. */
function until(updates, check, timeoutMs = 10_000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (check(updates)) return resolve();
      if (Date.now() - started > timeoutMs) {
        return reject(new Error(`timed out; saw ${JSON.stringify(updates)}`));
      }
      setTimeout(poll, 20);
    };
    poll();
  });
}

const lastCost = (updates) => updates.at(-1)?.totals.accumulated_cost;

Deno.test("a local handle totals the seed example to 0.06", async () => {
  const conversation = openConversation();
  addSeedExample(conversation);

  const snapshot = await conversation.snapshot();
  assert.equal(snapshot.accumulated_cost, 0.06);
  await conversation.close();
});

Deno.test("the service totals the seed example to 0.06", async () => {
  const conversation = openConversation({
    baseUrl,
    conversationId: `deno-${crypto.randomUUID()}`,
    apiKey,
  });
  addSeedExample(conversation);
  await conversation.flush();

  const updates = [];
  const subscription = conversation.subscribe((u) => updates.push(u));
  await subscription.ready;
  await until(updates, (seen) => lastCost(seen) === 0.06);

  const snapshot = await conversation.snapshot();
  assert.equal(snapshot.accumulated_cost, 0.06);
  assert.equal(snapshot.seq, 3);
  await conversation.close();
});

Deno.test("a subscriber with a read token sees the seed example", async () => {
  const conversationId = `deno-${crypto.randomUUID()}`;
  const writer = openConversation({ baseUrl, conversationId, apiKey });
  writer.metrics("agent", "gpt-4o").addCost(0);
  await writer.flush();

  const response = await fetch(
    `${baseUrl}/v1/conversations/${conversationId}/tokens`,
    {
      method: "POST",
      headers: {
        authorization: `Bearer ${apiKey}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ access: "read" }),
    },
  );
  assert.equal(response.status, 200);
  const { token } = await response.json();

  const reader = openConversation({ baseUrl, conversationId, token });
  const updates = [];
  const subscription = reader.subscribe((u) => updates.push(u));
  await subscription.ready;
  addSeedExample(writer);
  await writer.flush();

  await until(updates, (seen) => lastCost(seen) === 0.06);
  await Promise.all([writer.close(), reader.close()]);
});
