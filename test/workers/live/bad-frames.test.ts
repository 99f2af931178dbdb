import { afterEach, describe, expect, it } from "vitest";
import { call, costOp, freshId } from "../helpers.js";
import { closeOpenSockets, createConversation, openSocket } from "./socket.js";

afterEach(closeOpenSockets);

const tooMany = Array.from({ length: 1001 }, () => costOp(0.001));

const badFrames: [string, string, string][] = [
  ["text that is not JSON", "{not json", "invalid_json"],
  ["a JSON value that is not an object", "[1, 2]", "invalid_json"],
  [
    "an unknown frame type",
    JSON.stringify({ type: "subscribe", request_id: "b" }),
    "unknown_frame_type",
  ],
  [
    "an operations frame without request_id",
    JSON.stringify({ type: "operations", operations: [costOp(0.01)] }),
    "invalid_frame",
  ],
  [
    "an invalid operation",
    JSON.stringify({
      type: "operations",
      request_id: "b",
      operations: [{ ...costOp(0.01), cost: -1 }],
    }),
    "invalid_request",
  ],
  [
    "too many operations",
    JSON.stringify({
      type: "operations",
      request_id: "b",
      operations: tooMany,
    }),
    "batch_too_large",
  ],
];

describe("live socket: bad frames", () => {
  it.each(badFrames)(
    "answers %s with an error frame and stays usable",
    async (_name, text, type) => {
      const id = freshId("bad");
      await createConversation(id);
      const socket = await openSocket(id);

      socket.send(text);
      const error = await socket.waitFor("error");
      const op = costOp(0.01);
      socket.send({ type: "operations", request_id: "ok", operations: [op] });
      const ack = await socket.waitFor("ack");

      expect(error.error.type).toBe(type);
      expect(error.error.message).toMatch(/\w/);
      expect(ack.applied_ids).toEqual([op.id]);
      expect(ack.seq).toBe(1);
    },
  );

  it("echoes the request_id of a refused operations frame", async () => {
    const id = freshId("echoid");
    await createConversation(id);
    const socket = await openSocket(id);

    const op = { ...costOp(0.01), cost: "a lot" };
    socket.send(
      JSON.stringify({
        type: "operations",
        request_id: "r9",
        operations: [op],
      }),
    );
    const error = await socket.waitFor("error");

    expect(error.request_id).toBe("r9");
  });

  it("stores nothing from a batch with one invalid operation", async () => {
    const id = freshId("atomic");
    await createConversation(id);
    const socket = await openSocket(id);

    const operations = [costOp(0.01), { ...costOp(0.01), type: "add_nothing" }];
    socket.send(
      JSON.stringify({ type: "operations", request_id: "r", operations }),
    );
    await socket.waitFor("error");

    const metrics = await call("GET", `/v1/conversations/${id}/metrics`);
    expect(metrics.json.seq).toBe(0);
  });
});
