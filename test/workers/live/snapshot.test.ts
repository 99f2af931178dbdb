import { afterEach, describe, expect, it } from "vitest";
import { costOp, freshId, post } from "../helpers.js";
import { closeOpenSockets, openSocket } from "./socket.js";

afterEach(closeOpenSockets);

describe("live socket: connect", () => {
  it("sends the current snapshot with its seq on connect", async () => {
    const id = freshId("snap");
    await post(id, [costOp(0.01, "draft_editor"), costOp(0.02, "condenser")]);

    const socket = await openSocket(id);
    const frame = await socket.waitFor("snapshot");

    expect(frame.seq).toBe(2);
    expect(frame.metrics.conversation_id).toBe(id);
    expect(frame.metrics.seq).toBe(2);
    expect(frame.metrics.accumulated_cost).toBe(0.03);
    expect(frame.metrics.costs).toHaveLength(2);
  });
});
