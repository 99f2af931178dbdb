import { Hono } from "hono";
import { z } from "zod";
import { importBody, planImport } from "../../conversation/import.js";
import { MAX_COST_USD } from "../../operations/schema.js";
import { checkConversationId, conversationStub } from "../conversation-id.js";
import { unwrap } from "../http-error.js";
import { readJson } from "../read-json.js";
import { parseOrThrow } from "../validate.js";

/** Saved OpenHands metrics keep up to 500 entries per list per service. */
const MAX_IMPORT_BYTES = 16 * 1024 * 1024;

const budget = z
  .number({ error: "must be a finite number of USD or null" })
  .min(0, "must not be negative")
  .max(MAX_COST_USD, `must be at most ${MAX_COST_USD} USD`);

const createBody = z.strictObject({
  conversation_id: z.string({ error: "must be a string" }).optional(),
  max_budget_per_task: budget.nullable().default(null),
});

const budgetBody = z.strictObject({
  max_budget_per_task: budget.nullable(),
});

/** Creating, reading, budgeting and erasing conversations. */
export const conversations = new Hono<{ Bindings: Env }>();

conversations.post("/", async (c) => {
  const body = parseOrThrow(createBody, await readJson(c, { emptyValue: {} }));
  const id = checkConversationId(body.conversation_id ?? crypto.randomUUID());

  const stub = conversationStub(c.env, id);
  const info = unwrap(await stub.create(id, body.max_budget_per_task));
  return c.json(info, 201);
});

conversations.get("/:id/metrics", async (c) => {
  const id = c.req.param("id");
  const stub = conversationStub(c.env, id);
  return c.json(unwrap(await stub.snapshot(id)));
});

conversations.put("/:id/budget", async (c) => {
  const id = c.req.param("id");
  const stub = conversationStub(c.env, id);
  const body = parseOrThrow(budgetBody, await readJson(c));
  return c.json(unwrap(await stub.setBudget(id, body.max_budget_per_task)));
});

conversations.post("/:id/budget/increase", async (c) => {
  const id = c.req.param("id");
  const stub = conversationStub(c.env, id);
  return c.json(unwrap(await stub.increaseBudget(id)));
});

conversations.put("/:id/import", async (c) => {
  const id = c.req.param("id");
  const stub = conversationStub(c.env, id);
  const body = await readJson(c, { maxBytes: MAX_IMPORT_BYTES });
  const plan = unwrap(planImport(parseOrThrow(importBody, body)));
  return c.json(unwrap(await stub.importServices(id, plan)));
});

conversations.delete("/:id", async (c) => {
  const id = c.req.param("id");
  const stub = conversationStub(c.env, id);
  unwrap(await stub.erase(id));
  return c.body(null, 204);
});
