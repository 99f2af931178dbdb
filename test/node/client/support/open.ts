import { randomUUID } from "node:crypto";
import WebSocket from "ws";
import {
  openConversation,
  type Conversation,
  type ConversationOptions,
  type MetricsUpdate,
  type Subscription,
} from "../../../../src/client/index.js";
import type { RunningService } from "../../support/service.js";

/** A conversation id no other test uses. */
export function newConversationId(): string {
  return `client-${randomUUID()}`;
}

/**
 * A handle on `conversationId` of the running service, with its API key
 * and the `ws` package's WebSocket (Node 20 has no global one). Errors in
 * the background are collected instead of logged.
 */
export function openOn(
  service: RunningService,
  conversationId: string,
  extra: Partial<ConversationOptions> = {},
): { conversation: Conversation; errors: Error[] } {
  const errors: Error[] = [];
  const conversation = openConversation({
    baseUrl: service.url,
    conversationId,
    apiKey: service.apiKey,
    WebSocket,
    onError: (error) => errors.push(error),
    reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
    ...extra,
  });
  return { conversation, errors };
}

/** A subscription that keeps every update it receives. */
export function record(conversation: Conversation): {
  subscription: Subscription;
  updates: MetricsUpdate[];
} {
  const updates: MetricsUpdate[] = [];
  const subscription = conversation.subscribe((u) => updates.push(u));
  return { subscription, updates };
}

/** Every operation seq the updates delivered, in delivery order. */
export function deliveredSeqs(updates: MetricsUpdate[]): number[] {
  return updates.flatMap((u) => u.operations.map((op) => op.seq));
}

/** The last totals a subscriber saw. */
export function lastCost(updates: MetricsUpdate[]): number | undefined {
  return updates.at(-1)?.totals.accumulated_cost;
}

/** 1, 2, ..., n. */
export function upTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}
