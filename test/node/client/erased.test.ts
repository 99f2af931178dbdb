import { expect, it, vi } from "vitest";
import {
  openConversation,
  type WebSocketLike,
} from "../../../src/client/index.js";

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

const TOTALS = {
  accumulated_cost: 0,
  max_budget_per_task: null,
  accumulated_token_usage: {
    model: "default",
    prompt_tokens: 0,
    completion_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    context_window: 0,
    per_turn_token: 0,
    response_id: "",
  },
  model_name: "default",
  unpriced_calls: 0,
};
const SNAPSHOT = JSON.stringify({
  type: "snapshot",
  seq: 0,
  metrics: {
    ...TOTALS,
    costs: [],
    response_latencies: [],
    token_usages: [],
    conversation_id: "gone",
    seq: 0,
    by_source: {},
    by_model: {},
  },
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
