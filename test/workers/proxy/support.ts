/**
 * Calls through the Worker's fetch handler to the proxy routes, with the
 * fake upstream behind them (test/fake-upstream), and reads what the
 * conversation recorded.
 */
import {
  createExecutionContext,
  env,
  waitOnExecutionContext,
} from "cloudflare:test";
import worker from "../../../src/index.js";
import type { ConversationSnapshot } from "../../../src/metrics/snapshot-types.js";
import { fakeDirectives } from "../../fake-upstream/behaviour.js";
import { API_KEY, call } from "../helpers.js";

/** The proxy's two call routes, after /v1/conversations/{id}/. */
export type CallRoute = "chat/completions" | "messages" | "v1/messages";

/** Options of one proxied call. */
export interface SendOptions {
  headers?: Record<string, string>;
  /** Bindings to change for this call only (undefined unsets one). */
  env?: Partial<Env>;
}

/** A proxied call's response and the work the Worker left running. */
export interface Sent {
  response: Response;
  /** Resolves once the Worker's `waitUntil` work (a stream's record) ends. */
  settled: () => Promise<void>;
}

/** Sends one call through the Worker's fetch handler. */
export async function send(
  conversationId: string,
  route: CallRoute,
  body: unknown,
  options: SendOptions = {},
): Promise<Sent> {
  const headers = new Headers(options.headers);
  headers.set("authorization", `Bearer ${API_KEY}`);
  headers.set("content-type", "application/json");
  const request = new Request(
    `http://metrics.test/v1/conversations/${conversationId}/${route}`,
    { method: "POST", headers, body: JSON.stringify(body) },
  );

  const ctx = createExecutionContext();
  const bindings: Env = { ...env, ...options.env };
  const response = await worker.fetch(request, bindings, ctx);
  return { response, settled: () => waitOnExecutionContext(ctx) };
}

/** A chat completions request whose message carries fake directives. */
export function openAiBody(directives: string, extra: object = {}) {
  return {
    model: "gpt-4o",
    messages: [{ role: "user", content: `Hi ${fakeDirectives(directives)}` }],
    ...extra,
  };
}

/** A Messages request whose message carries fake directives. */
export function anthropicBody(directives: string, extra: object = {}) {
  return {
    model: "claude-sonnet-4-20250514",
    max_tokens: 1024,
    messages: [{ role: "user", content: `Hi ${fakeDirectives(directives)}` }],
    ...extra,
  };
}

/** The conversation's snapshot. */
export async function metricsOf(id: string): Promise<ConversationSnapshot> {
  const result = await call<ConversationSnapshot>(
    "GET",
    `/v1/conversations/${id}/metrics`,
  );
  return result.json;
}

/**
 * The money calls in flight hold in a conversation without a budget, in
 * USD: a zero-cost probe reservation reports the total, then goes.
 */
export async function heldUsd(id: string): Promise<number> {
  const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
  const probeId = `probe-${crypto.randomUUID()}`;
  const outcome = await stub.reserve(id, {
    reservationId: probeId,
    source: "agent",
    model: "probe",
    nanos: 0,
    ttlMs: 60_000,
  });
  await stub.release(probeId);
  if (!outcome.ok) throw new Error(`probe refused: ${outcome.message}`);
  return outcome.value.reserved_total;
}

/** A tag no other test uses, for counting upstream requests. */
export function freshTag(): string {
  return `t${crypto.randomUUID().replaceAll("-", "")}`;
}

const decoder = new TextDecoder();

/** A reader of a response's body, which must have one. */
export function readerOf(
  response: Response,
): ReadableStreamDefaultReader<Uint8Array> {
  const body = response.body as ReadableStream<Uint8Array> | null;
  if (body === null) throw new Error("the response has no body");
  return body.getReader();
}

/** Reads from `reader` until the text so far includes `marker`. */
export async function readUntil(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  marker: string,
): Promise<string> {
  let text = "";
  while (!text.includes(marker)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the stream ended before "${marker}"`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}
