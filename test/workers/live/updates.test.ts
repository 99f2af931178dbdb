import { afterEach, describe, expect, it } from "vitest";
import { call, costOp, freshId, post } from "../helpers.js";
import {
  closeOpenSockets,
  createConversation,
  openSocket,
  seqRange,
} from "./socket.js";

afterEach(closeOpenSockets);

describe("live socket: updates", () => {
  it("sends operations posted over HTTP with the new totals", async () => {
    const id = freshId("http");
    await createConversation(id);
    const socket = await openSocket(id);
    await socket.waitFor("snapshot");

    const op = costOp(0.25);
    await post(id, [op]);
    const frame = await socket.waitFor("update", (f) =>
      f.operations.some((o) => o.id === op.id),
    );

    expect(frame.seq).toBe(1);
    expect(frame.operations).toMatchObject([{ id: op.id, cost: 0.25 }]);
    expect(frame.totals.accumulated_cost).toBe(0.25);
    expect(frame.totals.seq).toBe(1);
  });

  it("sends the operations of an import", async () => {
    const id = freshId("import");
    await createConversation(id);
    const socket = await openSocket(id);
    await socket.waitFor("snapshot");

    const saved = {
      agent: {
        accumulated_cost: 0.5,
        costs: [{ model: "gpt-4o", cost: 0.5, timestamp: 1_700_000_000 }],
      },
    };
    const res = await call("PUT", `/v1/conversations/${id}/import`, {
      body: saved,
    });
    expect(res.status).toBe(200);

    const frame = await socket.waitFor("update");
    expect(frame.operations).toMatchObject([{ source: "agent", cost: 0.5 }]);
    expect(frame.totals.accumulated_cost).toBe(0.5);
  });

  it("delivers every operation of a burst once, in order", async () => {
    const id = freshId("burst");
    await createConversation(id);
    const socket = await openSocket(id);
    await socket.waitFor("snapshot");

    // 30 batches of 3 at once; coalescing may merge them into any frames.
    const batches = Array.from({ length: 30 }, () =>
      Array.from({ length: 3 }, () => costOp(0.001)),
    );
    await Promise.all(batches.map((batch) => post(id, batch)));
    const last = costOp(0.001);
    await post(id, [last]);
    await socket.waitForOperation(last.id);

    expect(socket.operationSeqs()).toEqual(seqRange(1, 91));
  });

  it("sends each update to every open socket", async () => {
    const id = freshId("fan");
    await createConversation(id);
    const sockets = await Promise.all(
      Array.from({ length: 25 }, () => openSocket(id)),
    );

    const op = costOp(0.1);
    await post(id, [op]);
    const frames = await Promise.all(
      sockets.map((socket) => socket.waitForOperation(op.id)),
    );

    expect(frames).toHaveLength(25);
    for (const socket of sockets) expect(socket.operationSeqs()).toEqual([1]);
  });
});
