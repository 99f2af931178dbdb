import { createExecutionContext, env } from "cloudflare:test";
import worker from "../../src/index.js";

/** The key vitest.config.ts binds as API_KEYS. */
export const API_KEY = "test-key";

/** Options for one request to the Worker. */
export interface CallOptions {
  body?: unknown;
  /** Sent as is (a string is not re-encoded). */
  rawBody?: string;
  /** Defaults to API_KEY; null sends no Authorization header. */
  key?: string | null;
  headers?: Record<string, string>;
}

/** A response with its JSON body already read. */
export interface CallResult<T> {
  status: number;
  headers: Headers;
  json: T;
}

/**
 * Calls the Worker's fetch handler directly (not through SELF, which slows
 * down as a test file goes on in this pool version).
 */
export async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult<T>> {
  const headers = new Headers(options.headers);
  const key = options.key === undefined ? API_KEY : options.key;
  if (key !== null) headers.set("authorization", `Bearer ${key}`);

  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers.set("content-type", "application/json");
  }

  const request = new Request(`http://metrics.test${path}`, {
    method,
    headers,
    body,
  });
  const response = await worker.fetch(request, env, createExecutionContext());
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    json: (text ? JSON.parse(text) : null) as T,
  };
}

/** A conversation id no other test uses. */
export function freshId(prefix = "conv"): string {
  return `${prefix}-${crypto.randomUUID()}`;
}

/** An add_cost operation with a fresh id. */
export function costOp(cost: number, source = "agent", model = "gpt-4o") {
  return {
    id: crypto.randomUUID(),
    type: "add_cost" as const,
    source,
    model,
    cost,
  };
}

/** Posts operations and returns the parsed reply. */
export function post(conversationId: string, operations: unknown[]) {
  return call(`POST`, `/v1/conversations/${conversationId}/operations`, {
    body: { operations },
  });
}
