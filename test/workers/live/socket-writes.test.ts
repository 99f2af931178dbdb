import { afterEach, describe, expect, it } from "vitest";
import { call, costOp, freshId } from "../helpers.js";
import { closeOpenSockets, createConversation, openSocket } from "./socket.js";

afterEach(closeOpenSockets);

describe("live socket: writes over the socket", () => {
  it("applies operations and acknowledges applied and duplicate ids", async () => {
    const id = freshId("ack");
    await createConversation(id);
    const socket = await openSocket(id);
    const [first, second] = [costOp(0.01), costOp(0.02)];

    socket.send({ type: "operations", request_id: "r1", operations: [first] });
    const ack1 = await socket.waitFor("ack", (f) => f.request_id === "r1");
    socket.send({
      type: "operations",
      request_id: "r2",
      operations: [first, second],
    });
    const ack2 = await socket.waitFor("ack", (f) => f.request_id === "r2");

    expect(ack1).toEqual({
      type: "ack",
      request_id: "r1",
      applied_ids: [first.id],
      duplicate_ids: [],
      seq: 1,
    });
    expect(ack2.applied_ids).toEqual([second.id]);
    expect(ack2.duplicate_ids).toEqual([first.id]);
    expect(ack2.seq).toBe(2);
  });

  it("stores socket writes like HTTP writes", async () => {
    const id = freshId("store");
    await createConversation(id);
    const socket = await openSocket(id);

    const op = costOp(0.07, "title_generator");
    socket.send({ type: "operations", request_id: "r", operations: [op] });
    await socket.waitFor("ack");

    const metrics = await call("GET", `/v1/conversations/${id}/metrics`);
    expect(metrics.json.accumulated_cost).toBe(0.07);
  });

  it("sends the writer its own operations as an update", async () => {
    const id = freshId("echo");
    await createConversation(id);
    const socket = await openSocket(id);

    const op = costOp(0.03);
    socket.send({ type: "operations", request_id: "r", operations: [op] });
    const frame = await socket.waitForOperation(op.id);

    expect(frame).toMatchObject({ type: "update", seq: 1 });
  });

  it("shows one socket's writes to another socket", async () => {
    const id = freshId("pair");
    await createConversation(id);
    const writer = await openSocket(id);
    const watcher = await openSocket(id);
    await watcher.waitFor("snapshot");

    const op = costOp(0.04, "condenser");
    writer.send({ type: "operations", request_id: "r", operations: [op] });
    const frame = await watcher.waitFor("update", (f) =>
      f.operations.some((o) => o.id === op.id),
    );

    expect(frame.totals.accumulated_cost).toBe(0.04);
    expect(frame.totals.by_source.condenser?.accumulated_cost).toBe(0.04);
  });
});
