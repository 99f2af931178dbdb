import { expect, it, vi } from "vitest";
import {
  openConversation,
  type WebSocketLike,
} from "../../../src/client/index.js";
import { RecentLists } from "../../../src/metrics/recent-lists.js";
import { emptyScopes } from "../../../src/metrics/scoped-totals.js";
import { buildSnapshot } from "../../../src/metrics/snapshot.js";

/** One event shape that serves as a message, a close and an error. */
interface ScriptedEvent {
  data: unknown;
  code: number;
  reason: string;
  message: unknown;
}
type Listener = (event: ScriptedEvent) => void;

/**
 * A socket that opens, sends an empty snapshot, and then closes the way the
 * service closes the sockets of an erased conversation (code 4404). Under
 * wrangler dev that close reaches a `ws` client only when the connection
 * ends, so this test scripts it instead of erasing through the service.
 */
class ErasingSocket implements WebSocketLike {
  static opened = 0;
  readonly #listeners = new Map<string, Listener[]>();

  constructor(readonly url: string) {
    ErasingSocket.opened += 1;
    const event = {
      data: SNAPSHOT,
      code: 4404,
      reason: "conversation erased",
      message: undefined,
    };
    setTimeout(() => this.#emit("open", event), 0);
    setTimeout(() => this.#emit("message", event), 1);
    setTimeout(() => this.#emit("close", event), 5);
  }

  send(): void {}

  close(): void {}

  addEventListener(type: string, listener: Listener): void {
    this.#listeners.set(type, [...(this.#listeners.get(type) ?? []), listener]);
  }

  #emit(type: string, event: ScriptedEvent): void {
    for (const listener of this.#listeners.get(type) ?? []) listener(event);
  }
}

// An empty conversation's snapshot, as the service's own code builds it.
const SNAPSHOT = JSON.stringify({
  type: "snapshot",
  seq: 0,
  metrics: buildSnapshot(emptyScopes(), new RecentLists(), {
    conversationId: "gone",
    seq: 0,
    budgetNanos: null,
  }),
});

it("ends a subscription, without reconnecting, when the conversation is erased", async () => {
  const errors: Error[] = [];
  const conversation = openConversation({
    baseUrl: "http://127.0.0.1:9",
    conversationId: "gone",
    apiKey: "key",
    WebSocket: ErasingSocket,
    onError: (error) => errors.push(error),
    reconnect: { initialDelayMs: 10, maxDelayMs: 20 },
  });
  const subscription = conversation.subscribe(() => {});
  await subscription.ready;

  await vi.waitFor(() =>
    expect(errors.map((e) => (e as { type?: string }).type)).toEqual([
      "conversation_erased",
    ]),
  );
  // Reconnects would come every 10-20 ms; 200 ms of quiet means none did.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(ErasingSocket.opened).toBe(1);
  await conversation.close();
});
