import { afterEach, describe, expect, it } from "vitest";
import { costOp, freshId, post } from "../helpers.js";
import {
  closeOpenSockets,
  createConversation,
  openSocket,
  requestSocket,
  seqRange,
} from "./socket.js";

afterEach(closeOpenSockets);

/** Posts `count` single-operation batches one after another. */
async function postMany(id: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await post(id, [costOp(0.001)]);
}

describe("live socket: reconnect with after=SEQ", () => {
  it("replays exactly what was missed, then synced, then live updates", async () => {
    const id = freshId("replay");
    await postMany(id, 7);

    const socket = await openSocket(id, { after: 3 });
    const synced = await socket.waitFor("synced");
    const live = costOp(0.5);
    await post(id, [live]);
    await socket.waitForOperation(live.id);

    expect(synced.seq).toBe(7);
    expect(synced.totals.accumulated_cost).toBe(0.007);
    expect(socket.frames.map((frame) => frame.type)).toEqual([
      "replay",
      "synced",
      "update",
    ]);
    expect(socket.operationSeqs()).toEqual(seqRange(4, 8));
  });

  it("sends only synced when nothing was missed", async () => {
    const id = freshId("current");
    await postMany(id, 2);

    const socket = await openSocket(id, { after: 2 });
    await socket.waitFor("synced");

    expect(socket.frames).toMatchObject([{ type: "synced", seq: 2 }]);
  });

  it("misses and repeats nothing while writes race the reconnect", async () => {
    const id = freshId("race");
    await postMany(id, 10);

    // The connect and 20 writes run at once; where the connect lands
    // among them decides what is replayed and what comes live.
    const writes = Array.from({ length: 20 }, () => post(id, [costOp(0.001)]));
    const [socket] = await Promise.all([
      openSocket(id, { after: 5 }),
      ...writes,
    ]);
    const last = costOp(0.001);
    await post(id, [last]);
    await socket.waitForOperation(last.id);

    expect(socket.operationSeqs()).toEqual(seqRange(6, 31));
  });

  it("sends a fresh snapshot when after is ahead of the conversation", async () => {
    const id = freshId("ahead");
    await postMany(id, 2);

    const socket = await openSocket(id, { after: 50 });
    const frame = await socket.waitFor("snapshot");

    expect(frame.seq).toBe(2);
  });

  it("refuses an after that is not a whole number", async () => {
    const id = freshId("badafter");
    await createConversation(id);

    const res = await requestSocket(id, { after: -1 });

    expect(res.status).toBe(422);
    const body = await res.json<{ error: { type: string } }>();
    expect(body.error.type).toBe("invalid_request");
  });
});
