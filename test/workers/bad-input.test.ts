import { beforeAll, describe, expect, it } from "vitest";
import { call, costOp, freshId, post } from "./helpers.js";

const id = freshId("bad");
const metricsPath = `/v1/conversations/${id}/metrics`;
const opsPath = `/v1/conversations/${id}/operations`;

function usageOp(fields: Record<string, unknown>) {
  return {
    id: crypto.randomUUID(),
    type: "add_token_usage",
    source: "agent",
    model: "gpt-4o",
    prompt_tokens: 1,
    completion_tokens: 1,
    ...fields,
  };
}

// Each case is a request that must be refused whole: the valid operation
// in front of the bad one must not be applied either.
const cases: [string, { rawBody: string }, number, string][] = [
  ["malformed JSON", { rawBody: '{"operations": [' }, 400, "invalid_json"],
  ["an empty body", { rawBody: "" }, 400, "invalid_json"],
  [
    "an infinite number",
    {
      rawBody: `{"operations":[${JSON.stringify(costOp(0.1))},{"id":"x","type":"add_cost","source":"agent","model":"m","cost":1e999}]}`,
    },
    422,
    "invalid_request",
  ],
  ...(
    [
      ["a string cost", { ...costOp(0), cost: "0.1" }],
      ["a NaN-like cost", { ...costOp(0), cost: "NaN" }],
      ["a negative cost", costOp(-0.01)],
      ["a negative token count", usageOp({ prompt_tokens: -1 })],
      [
        "a negative time to first token",
        {
          id: "ttft",
          type: "add_response_latency",
          source: "agent",
          model: "m",
          latency: 1,
          time_to_first_token: -1,
        },
      ],
      ["a fractional token count", usageOp({ completion_tokens: 1.5 })],
      ["an unknown operation type", { ...costOp(1), type: "add_money" }],
      ["a missing id", { ...costOp(1), id: undefined }],
      ["an empty id", { ...costOp(1), id: "" }],
      ["a missing source", { ...costOp(1), source: undefined }],
      ["an unknown field", { ...costOp(1), costs: 1 }],
      ["a null operation", null],
    ] as [string, unknown][]
  ).map(([name, op]): [string, { rawBody: string }, number, string] => [
    name,
    { rawBody: JSON.stringify({ operations: [costOp(0.5), op] }) },
    422,
    "invalid_request",
  ]),
  [
    "an empty batch",
    { rawBody: JSON.stringify({ operations: [] }) },
    422,
    "invalid_request",
  ],
  [
    "a batch of 1001",
    {
      rawBody: JSON.stringify({
        operations: Array.from({ length: 1001 }, () => costOp(0.001)),
      }),
    },
    413,
    "batch_too_large",
  ],
  [
    "a body over 1 MiB",
    {
      rawBody: JSON.stringify({
        operations: [costOp(1)],
        pad: "x".repeat(1 << 20),
      }),
    },
    413,
    "payload_too_large",
  ],
];

describe("bad input", () => {
  let before: Record<string, unknown>;

  beforeAll(async () => {
    await post(id, [costOp(0.25)]);
    before = (await call("GET", metricsPath)).json;
  });

  it.each(cases)(
    "refuses %s and applies nothing",
    async (_, body, status, type) => {
      const res = await call<{ error: { type: string; message: string } }>(
        "POST",
        opsPath,
        { ...body, headers: { "content-type": "application/json" } },
      );
      expect(res.status).toBe(status);
      expect(res.json.error.type).toBe(type);
      expect(res.json.error.message.length).toBeGreaterThan(10);

      const after = await call("GET", metricsPath);
      expect(after.json).toEqual(before);
    },
  );

  it("names the field that was wrong", async () => {
    const res = await call<{ error: { message: string } }>("POST", opsPath, {
      body: { operations: [costOp(0.1), costOp(-1)] },
    });
    expect(res.json.error.message).toContain("operations[1].cost");
    expect(res.json.error.message).toBe(
      "operations[1].cost Added cost cannot be negative.",
    );
  });

  it("refuses an invalid conversation id", async () => {
    const res = await call<{ error: { type: string } }>(
      "GET",
      "/v1/conversations/bad%20id!/metrics",
    );
    expect(res.status).toBe(400);
    expect(res.json.error.type).toBe("invalid_conversation_id");
  });

  it("answers an unknown conversation with 404", async () => {
    const res = await call<{ error: { type: string } }>(
      "GET",
      `/v1/conversations/${freshId()}/metrics`,
    );
    expect(res.status).toBe(404);
    expect(res.json.error.type).toBe("not_found");
  });

  it("answers an unknown route with a JSON 404", async () => {
    const res = await call<{ error: { type: string } }>("GET", "/v1/nothing");
    expect(res.status).toBe(404);
    expect(res.json.error.type).toBe("route_not_found");
  });
});
