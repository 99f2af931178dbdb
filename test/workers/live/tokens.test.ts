import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { issueToken } from "../../../src/api/tokens.js";
import { API_KEY, call, costOp, freshId } from "../helpers.js";
import {
  closeOpenSockets,
  createConversation,
  openSocket,
  requestSocket,
} from "./socket.js";

afterEach(closeOpenSockets);

interface TokenReply {
  token: string;
  expires_at: number;
  access: string;
  conversation_id: string;
}

interface ErrorBody {
  error: { type: string; message: string };
}

async function tokenFor(id: string, access: "read" | "write") {
  const res = await call<TokenReply>("POST", `/v1/conversations/${id}/tokens`, {
    body: { access },
  });
  if (res.status !== 200) throw new Error(`token: ${res.status}`);
  return res.json.token;
}

async function refusal(res: Response): Promise<[number, string]> {
  const body = await res.json<ErrorBody>();
  return [res.status, body.error.type];
}

describe("socket tokens", () => {
  it("issues a token bound to a conversation, an access and an expiry", async () => {
    const id = freshId("issue");
    const before = Date.now() / 1000;

    const res = await call<TokenReply>(
      "POST",
      `/v1/conversations/${id}/tokens`,
      { body: { access: "read", ttl_seconds: 60 } },
    );

    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ access: "read", conversation_id: id });
    expect(res.json.token).toMatch(/^cmt1\.[\w-]+\.[\w-]+$/);
    expect(res.json.expires_at).toBeGreaterThan(before + 58);
    expect(res.json.expires_at).toBeLessThan(before + 62);
  });

  it("opens the socket with a token and no key", async () => {
    const id = freshId("open");
    await createConversation(id);
    const token = await tokenFor(id, "read");

    const socket = await openSocket(id, { key: null, token });

    expect(await socket.waitFor("snapshot")).toMatchObject({ seq: 0 });
  });

  it("refuses operations from a socket opened with a read token", async () => {
    const id = freshId("ro");
    await createConversation(id);
    const socket = await openSocket(id, {
      key: null,
      token: await tokenFor(id, "read"),
    });

    socket.send({
      type: "operations",
      request_id: "w",
      operations: [costOp(1)],
    });
    const error = await socket.waitFor("error");
    const metrics = await call("GET", `/v1/conversations/${id}/metrics`);

    expect(error).toMatchObject({
      request_id: "w",
      error: { type: "read_only" },
    });
    expect(metrics.json.seq).toBe(0);
  });

  it("accepts operations from a socket opened with a write token", async () => {
    const id = freshId("rw");
    await createConversation(id);
    const socket = await openSocket(id, {
      key: null,
      token: await tokenFor(id, "write"),
    });

    socket.send({
      type: "operations",
      request_id: "w",
      operations: [costOp(1)],
    });
    const ack = await socket.waitFor("ack");

    expect(ack.seq).toBe(1);
  });

  it("does not open another conversation with a token for one", async () => {
    const [a, b] = [freshId("a"), freshId("b")];
    await createConversation(a);
    await createConversation(b);
    const token = await tokenFor(a, "write");

    const res = await requestSocket(b, { key: null, token });

    expect(res.webSocket).toBeNull();
    expect(await refusal(res)).toEqual([403, "token_not_for_conversation"]);
  });

  it("refuses an expired token with 401", async () => {
    const id = freshId("expired");
    await createConversation(id);
    const { token } = await issueToken(env, API_KEY, {
      conversation_id: id,
      access: "read",
      expires_at: Math.floor(Date.now() / 1000) - 1,
    });

    const res = await requestSocket(id, { key: null, token });

    expect(await refusal(res)).toEqual([401, "token_expired"]);
  });

  it("refuses a token whose claims were changed with 401", async () => {
    const id = freshId("forged");
    await createConversation(id);
    const [prefix, , signature] = (await tokenFor(id, "read")).split(".");
    const claims = { conversation_id: id, access: "write", expires_at: 2e9 };
    const payload = btoa(JSON.stringify(claims))
      .replaceAll("+", "-")
      .replaceAll("/", "_")
      .replace(/=+$/, "");
    const forged = `${prefix}.${payload}.${signature}`;

    const res = await requestSocket(id, { key: null, token: forged });

    expect(await refusal(res)).toEqual([401, "invalid_token"]);
  });

  it("refuses a token signed with a key the service does not hold", async () => {
    const id = freshId("foreign");
    await createConversation(id);
    const { token } = await issueToken(env, "someone-elses-key", {
      conversation_id: id,
      access: "write",
      expires_at: Math.floor(Date.now() / 1000) + 60,
    });

    const res = await requestSocket(id, { key: null, token });

    expect(await refusal(res)).toEqual([401, "invalid_token"]);
  });

  it("ends the tokens of an API key when the key is removed", async () => {
    const id = freshId("revoked");
    await createConversation(id);
    const token = await tokenFor(id, "read");
    const rotated = { ...env, API_KEYS: "a-new-key" };

    const res = await requestSocket(id, { key: null, token, env: rotated });

    expect(await refusal(res)).toEqual([401, "invalid_token"]);
  });

  it("signs with TOKEN_SECRET when set, whatever the API keys", async () => {
    const id = freshId("secret");
    await createConversation(id);
    const secret = { ...env, TOKEN_SECRET: "s".repeat(32) };
    const { token } = await issueToken(secret, API_KEY, {
      conversation_id: id,
      access: "read",
      expires_at: Math.floor(Date.now() / 1000) + 60,
    });

    const withSecret = await requestSocket(id, {
      key: null,
      token,
      env: secret,
    });
    const withKeys = await requestSocket(id, { key: null, token });

    expect(withSecret.status).toBe(101);
    withSecret.webSocket?.accept();
    withSecret.webSocket?.close(1000, "test done");
    expect(await refusal(withKeys)).toEqual([401, "invalid_token"]);
  });

  it("is no API key on the other routes", async () => {
    const id = freshId("notakey");
    await createConversation(id);
    const token = await tokenFor(id, "write");

    const res = await call("GET", `/v1/conversations/${id}/metrics`, {
      key: token,
    });

    expect(res.status).toBe(401);
  });

  it("is issued only to a caller with an API key", async () => {
    const res = await call("POST", `/v1/conversations/${freshId()}/tokens`, {
      body: { access: "read" },
      key: null,
    });

    expect(res.status).toBe(401);
  });

  it("refuses an unknown access level or a too long life", async () => {
    const path = `/v1/conversations/${freshId()}/tokens`;
    const admin = await call<ErrorBody>("POST", path, {
      body: { access: "admin" },
    });
    const long = await call<ErrorBody>("POST", path, {
      body: { access: "read", ttl_seconds: 3601 },
    });

    expect([admin.status, admin.json.error.type]).toEqual([
      422,
      "invalid_request",
    ]);
    expect([long.status, long.json.error.type]).toEqual([
      422,
      "invalid_request",
    ]);
  });
});
