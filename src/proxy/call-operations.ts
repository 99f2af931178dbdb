/**
 * The operations that record one finished call. Their ids derive from the
 * reservation id, so a settle that is retried (or raced by the alarm)
 * never counts the call twice.
 */
import { nanosToUsd } from "../metrics/money.js";
import type { CallCost, CallUsage } from "../llm/index.js";
import { MAX_TOKENS, type Operation } from "../operations/schema.js";

/** What the proxy learned about one call. */
export interface MeteredCall {
  source: string;
  usage: CallUsage;
  cost: CallCost;
  latencySeconds: number;
  /** Streams only: seconds to the first byte; null when none came. */
  timeToFirstTokenSeconds?: number | null;
  /** The answering model's context window; 0 when unknown. */
  contextWindow: number;
}

/** The longest model name or response id an operation takes. */
const MAX_NAME_CHARS = 256;

/**
 * The call's operations: its tokens when the upstream reported them, its
 * latency, and its cost, or an unpriced call when it has none.
 */
export function callOperations(
  reservationId: string,
  call: MeteredCall,
): Operation[] {
  const base = { source: call.source, model: cleanName(call.usage.model) };
  const responseId = cleanName(call.usage.response_id);
  const ops: Operation[] = [];

  if (call.usage.usage_reported) {
    const u = call.usage;
    ops.push({
      ...base,
      id: `${reservationId}:tokens`,
      type: "add_token_usage",
      prompt_tokens: count(u.prompt_tokens),
      completion_tokens: count(u.completion_tokens),
      cache_read_tokens: count(u.cache_read_tokens),
      cache_write_tokens: count(u.cache_write_tokens),
      reasoning_tokens: count(u.reasoning_tokens),
      context_window: count(call.contextWindow),
      response_id: responseId,
    });
  }

  ops.push({
    ...base,
    id: `${reservationId}:latency`,
    type: "add_response_latency",
    latency: call.latencySeconds,
    response_id: responseId,
    ...(call.timeToFirstTokenSeconds == null
      ? {}
      : { time_to_first_token: call.timeToFirstTokenSeconds }),
  });

  ops.push(
    call.cost.priced
      ? {
          ...base,
          id: `${reservationId}:cost`,
          type: "add_cost",
          cost: nanosToUsd(call.cost.cost_nanos),
        }
      : {
          ...base,
          id: `${reservationId}:unpriced`,
          type: "add_unpriced_call",
          response_id: responseId,
        },
  );
  return ops;
}

/**
 * A name from an upstream as an operation accepts it: at most 256
 * characters, with lone surrogates replaced: storage would not give them
 * back, and the cut may split a pair.
 */
export function cleanName(name: string): string {
  return name
    .slice(0, MAX_NAME_CHARS)
    .replace(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      "\uFFFD",
    );
}

function count(tokens: number): number {
  return Math.min(MAX_TOKENS, Math.max(0, Math.floor(tokens)));
}
