/**
 * Operations as a client sends them, each with an id never used before in
 * this run, so no request is a duplicate (a duplicate costs less).
 */

const RUN = Date.now().toString(36);
let counter = 0;

/** A fresh operation id. */
export function nextId() {
  counter += 1;
  return `${RUN}-${counter}`;
}

/** The kinds of operation, built with realistic values. */
export const OPERATION_KINDS = {
  add_cost: () => ({
    id: nextId(),
    type: "add_cost",
    source: "agent",
    model: "gpt-4o",
    cost: 0.0125,
  }),
  add_response_latency: () => ({
    id: nextId(),
    type: "add_response_latency",
    source: "agent",
    model: "gpt-4o",
    latency: 1.8,
    response_id: "chatcmpl-bench",
  }),
  add_token_usage: () => ({
    id: nextId(),
    type: "add_token_usage",
    source: "agent",
    model: "gpt-4o",
    prompt_tokens: 1200,
    completion_tokens: 80,
    cache_read_tokens: 1000,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    context_window: 128000,
    response_id: "chatcmpl-bench",
  }),
  add_unpriced_call: () => ({
    id: nextId(),
    type: "add_unpriced_call",
    source: "agent",
    model: "my-model",
    response_id: "r-bench",
  }),
};

/**
 * The body of `POST /v1/conversations/{id}/operations`.
 * @param {number} size operations in the batch
 * @param {keyof typeof OPERATION_KINDS} [kind]
 */
export function batchBody(size, kind = "add_cost") {
  const operations = Array.from({ length: size }, OPERATION_KINDS[kind]);
  return JSON.stringify({ operations });
}
