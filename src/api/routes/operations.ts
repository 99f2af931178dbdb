import { Hono } from "hono";
import { z } from "zod";
import { MAX_OPERATIONS_PER_BATCH } from "../../operations/schema.js";
import { validateBatch } from "../../operations/validate.js";
import { conversationStub } from "../conversation-id.js";
import { HttpError, unwrap } from "../http-error.js";
import { readJson } from "../read-json.js";
import { parseOrThrow } from "../validate.js";

const pageQuery = z.strictObject({
  after: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(0, "must not be negative")
    .default(0),
  limit: z.coerce
    .number({ error: "must be a whole number" })
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(
      MAX_OPERATIONS_PER_BATCH,
      `must be at most ${MAX_OPERATIONS_PER_BATCH}`,
    )
    .default(100),
});

/** Posting operations to a conversation and paging its history. */
export const operations = new Hono<{ Bindings: Env }>();

operations.post("/:id/operations", async (c) => {
  const id = c.req.param("id");
  const stub = conversationStub(c.env, id);
  const batch = validateBatch(await readJson(c));
  if (!batch.ok) {
    const status = batch.type === "batch_too_large" ? 413 : 422;
    throw new HttpError(status, batch.type, batch.message);
  }
  return c.json(unwrap(await stub.apply(id, batch.value)));
});

operations.get("/:id/operations", async (c) => {
  const id = c.req.param("id");
  const stub = conversationStub(c.env, id);
  const query = parseOrThrow(pageQuery, c.req.query());
  return c.json(unwrap(await stub.history(id, query.after, query.limit)));
});
