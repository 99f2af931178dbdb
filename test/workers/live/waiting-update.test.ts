import { env, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { conversationStub } from "../../../src/api/conversation-id.js";
import { upgradeRequest } from "../../../src/live/upgrade.js";
import { costOp, freshId, post } from "../helpers.js";
import { closeOpenSockets, LiveSocket, seqRange } from "./socket.js";

afterEach(closeOpenSockets);

function stub(id: string) {
  return conversationStub(env, id);
}

describe("live socket: connecting while an update waits", () => {
  it("sends waiting operations once, in the opening frames only", async () => {
    const id = freshId("waiting");
    await post(id, [costOp(0.001)]);

    // Apply and connect in one turn, so the update for the applied
    // operation is still waiting (coalesced) when the socket opens.
    const waiting = costOp(0.002);
    // A stub is bound to the context that used it: one per call here.
    const socket = await runInDurableObject(stub(id), (object) => {
      object.apply(id, [{ ...waiting, type: "add_cost" }]);
      const res = object.fetch(
        upgradeRequest({ conversationId: id, access: "write", after: 0 }),
      );
      // The client end belongs to the object's I/O context: accept it here.
      if (res.webSocket === null) throw new Error("no socket");
      return new LiveSocket(res.webSocket);
    });
    const later = costOp(0.003);
    await post(id, [later]);
    await socket.waitForOperation(later.id);

    expect(socket.operationSeqs()).toEqual(seqRange(1, 3));
    await runInDurableObject(stub(id), () => socket.close());
  });
});
