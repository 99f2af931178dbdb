import type {
  FetchLike,
  OperationInput,
  RequestInitLike,
  ResponseLike,
} from "../../../../src/client/index.js";

/** One request the client made. */
export interface Call {
  url: string;
  init: RequestInitLike;
  /** The operations of a POST, parsed from its body. */
  operations: OperationInput[];
}

/** How a scripted fetch answers one call: a status and body, or a throw. */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | { throws: Error };

/**
 * A fetch that records every call and answers from `script` (called with
 * the call's index), for the queue and retry rules that need an answer
 * the real service will not give on demand: a 503, a lost connection.
 */
export function scriptedFetch(script: (index: number, call: Call) => Reply): {
  fetch: FetchLike;
  calls: Call[];
} {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    const parsed: unknown =
      init.body === undefined ? null : JSON.parse(init.body);
    const operations = (parsed as { operations?: OperationInput[] } | null)
      ?.operations;
    const call = { url, init, operations: operations ?? [] };
    calls.push(call);

    const reply = script(calls.length - 1, call);
    if ("throws" in reply) return Promise.reject(reply.throws);
    return Promise.resolve(response(reply));
  };
  return { fetch, calls };
}

function response(reply: {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}): ResponseLike {
  const headers = new Map(Object.entries(reply.headers ?? {}));
  return {
    status: reply.status,
    statusText: "",
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
    text: () =>
      Promise.resolve(
        reply.body === undefined ? "" : JSON.stringify(reply.body),
      ),
  };
}

/** The answer the service gives to a stored batch (its fields unused). */
export const STORED: Reply = {
  status: 200,
  body: { applied: 1, duplicates: 0, duplicate_ids: [], seq: 1 },
};

/** Retry options that keep unit tests fast; timing is not what they test. */
export const FAST_RETRY = { initialDelayMs: 1, maxDelayMs: 2 };
