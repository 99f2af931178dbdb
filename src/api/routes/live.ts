import { Hono } from "hono";
import { z } from "zod";
import { upgradeRequest } from "../../live/upgrade.js";
import { authorizeSocket, bearerToken } from "../auth.js";
import { checkConversationId, conversationStub } from "../conversation-id.js";
import { HttpError } from "../http-error.js";
import { readJson } from "../read-json.js";
import {
  DEFAULT_TOKEN_TTL_SECONDS,
  issueToken,
  MAX_TOKEN_TTL_SECONDS,
} from "../tokens.js";
import { parseOrThrow } from "../validate.js";

const socketQuery = z.object({
  after: z
    .string()
    .regex(/^\d{1,15}$/, "must be a whole number: the last seq you saw")
    .transform(Number)
    .optional(),
});

const tokenBody = z.strictObject({
  access: z.enum(["read", "write"], { error: 'must be "read" or "write"' }),
  ttl_seconds: z
    .number({ error: "must be a whole number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be at least 1")
    .max(MAX_TOKEN_TTL_SECONDS, `must be at most ${MAX_TOKEN_TTL_SECONDS}`)
    .default(DEFAULT_TOKEN_TTL_SECONDS),
});

/** The live socket of a conversation, and the tokens that open it. */
export const live = new Hono<{ Bindings: Env }>();

/**
 * Upgrades to the conversation's WebSocket (src/live/protocol.ts). This
 * route authenticates itself (app.ts exempts it from the API key check),
 * since it also takes a token; an absent conversation is 404 before the
 * upgrade, so a client never holds a socket to nothing.
 */
live.get("/:id/ws", async (c) => {
  const id = c.req.param("id");
  const credentials = {
    authorization: c.req.header("authorization"),
    token: c.req.query("token"),
  };
  const access = await authorizeSocket(c.env, credentials, id);

  const stub = conversationStub(c.env, id);
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
    throw new HttpError(
      426,
      "upgrade_required",
      "This route serves a WebSocket; connect with `Upgrade: websocket`.",
    );
  }
  const query = parseOrThrow(socketQuery, { after: c.req.query("after") });

  const request = upgradeRequest({
    conversationId: id,
    access,
    after: query.after ?? null,
  });
  return stub.fetch(request);
});

/** Issues a short-lived socket token; needs an API key (see app.ts). */
live.post("/:id/tokens", async (c) => {
  const id = checkConversationId(c.req.param("id"));
  const body = parseOrThrow(tokenBody, await readJson(c));
  const apiKey = bearerToken(c.req.header("authorization")) ?? "";

  const issued = await issueToken(c.env, apiKey, {
    conversation_id: id,
    access: body.access,
    expires_at: Math.floor(Date.now() / 1000) + body.ttl_seconds,
  });
  return c.json(issued);
});
