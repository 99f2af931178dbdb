import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index.js";
import { call, costOp, freshId } from "./helpers.js";

describe("API keys", () => {
  it("refuses a request without a key and stores nothing", async () => {
    const id = freshId();
    const write = await call("POST", `/v1/conversations/${id}/operations`, {
      body: { operations: [costOp(1)] },
      key: null,
    });
    expect(write.status).toBe(401);

    const read = await call("GET", `/v1/conversations/${id}/metrics`);
    expect(read.status).toBe(404);
  });

  it("refuses a wrong key, including a prefix of the right one", async () => {
    for (const key of ["wrong", "test", "test-key-2"]) {
      const res = await call<{ error: { type: string } }>(
        "GET",
        `/v1/conversations/${freshId()}/metrics`,
        { key },
      );
      expect(res.status).toBe(401);
      expect(res.json.error.type).toBe("unauthorized");
    }
  });

  it("does not read a conversation without a valid key", async () => {
    const id = freshId();
    await call("POST", `/v1/conversations/${id}/operations`, {
      body: { operations: [costOp(1)] },
    });
    const res = await call("GET", `/v1/conversations/${id}/metrics`, {
      key: "wrong",
    });
    expect(res.status).toBe(401);
    expect(res.json).not.toHaveProperty("accumulated_cost");
  });

  it("accepts any key of a comma-separated list", async () => {
    const request = new Request("http://metrics.test/v1/conversations", {
      method: "POST",
      headers: { authorization: "Bearer second" },
    });
    const res = await worker.fetch(
      request,
      { ...env, API_KEYS: "first, second" },
      createExecutionContext(),
    );
    expect(res.status).toBe(201);
  });

  it("refuses everything when no keys are configured", async () => {
    const request = new Request("http://metrics.test/v1/conversations", {
      method: "POST",
      headers: { authorization: "Bearer " },
    });
    const res = await worker.fetch(
      request,
      { ...env, API_KEYS: "" },
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    const body = await res.json<{ error: { type: string } }>();
    expect(body.error.type).toBe("auth_not_configured");
  });

  it("serves the health check without a key", async () => {
    const res = await call("GET", "/healthz", { key: null });
    expect(res.status).toBe(200);
  });
});
