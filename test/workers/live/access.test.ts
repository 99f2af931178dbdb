import { afterEach, describe, expect, it } from "vitest";
import { call, costOp, freshId } from "../helpers.js";
import {
  closeOpenSockets,
  createConversation,
  openSocket,
  requestSocket,
} from "./socket.js";

afterEach(closeOpenSockets);

interface ErrorBody {
  error: { type: string; message: string };
}

describe("live socket: who may open one", () => {
  it("opens no socket without a key or token", async () => {
    const id = freshId("nokey");
    await createConversation(id);

    const res = await requestSocket(id, { key: null });

    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
    const body = await res.json<ErrorBody>();
    expect(body.error.type).toBe("unauthorized");
  });

  it("opens no socket with a wrong key", async () => {
    const id = freshId("wrongkey");
    await createConversation(id);

    const res = await requestSocket(id, { key: "wrong" });

    expect(res.status).toBe(401);
    expect(res.webSocket).toBeNull();
  });

  it("answers 404 for an unknown conversation, before the upgrade", async () => {
    const res = await requestSocket(freshId("nobody"));

    expect(res.status).toBe(404);
    expect(res.webSocket).toBeNull();
    const body = await res.json<ErrorBody>();
    expect(body.error.type).toBe("not_found");
  });

  it("answers 426 to a request without Upgrade: websocket", async () => {
    const id = freshId("plain");
    await createConversation(id);

    const res = await requestSocket(id, { upgrade: false });

    expect(res.status).toBe(426);
    const body = await res.json<ErrorBody>();
    expect(body.error.type).toBe("upgrade_required");
  });

  it("closes the sockets of an erased conversation with 4404", async () => {
    const id = freshId("erase");
    await createConversation(id);
    const socket = await openSocket(id);
    await socket.waitFor("snapshot");

    const res = await call("DELETE", `/v1/conversations/${id}`);
    const closed = await socket.closed;

    expect(res.status).toBe(204);
    expect(closed).toEqual({ code: 4404, reason: "conversation erased" });
  });

  it("sends pending updates before closing for an erase", async () => {
    const id = freshId("erase2");
    await createConversation(id);
    const socket = await openSocket(id);
    const op = costOp(0.01);

    socket.send({ type: "operations", request_id: "r", operations: [op] });
    await socket.waitFor("ack");
    await call("DELETE", `/v1/conversations/${id}`);
    await socket.closed;

    expect(socket.operationSeqs()).toEqual([1]);
  });
});
