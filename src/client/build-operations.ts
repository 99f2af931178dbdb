import { NegativeCostError, type TokenUsageInput } from "../metrics/metrics.js";
import type { OperationInput } from "../operations/schema.js";
import { InvalidOperationError } from "./errors.js";
import {
  MAX_COST_USD,
  MAX_ID_LENGTH,
  MAX_MODEL_LENGTH,
  MAX_RESPONSE_ID_LENGTH,
  MAX_TOKENS,
  SOURCE_PATTERN,
} from "./limits.js";

/*
 * Operations get their id here, when they are added, and are checked by the
 * service's rules at once: a value the service would refuse throws in the
 * caller's stack instead of sinking a whole batch of other callers' work.
 */

/** The source and model every operation of one handle carries. */
export interface OperationOrigin {
  source: string;
  model: string;
}

/** Checks a handle's source and model once, when the handle is made. */
export function checkOrigin(origin: OperationOrigin): void {
  if (
    typeof origin.source !== "string" ||
    !SOURCE_PATTERN.test(origin.source)
  ) {
    throw new InvalidOperationError(
      "source must be 1 to 64 letters, digits or _ . : - " +
        '(for example "agent").',
    );
  }
  checkString("model", origin.model, 1, MAX_MODEL_LENGTH);
}

/** An `add_cost` operation; a negative cost is refused as OpenHands does. */
export function costOperation(
  origin: OperationOrigin,
  usd: number,
): OperationInput {
  checkCost(usd);
  return { id: newId(), type: "add_cost", ...origin, cost: usd };
}

/** An `add_response_latency` operation; the service clamps below 0. */
export function latencyOperation(
  origin: OperationOrigin,
  seconds: number,
  responseId: string,
): OperationInput {
  checkFinite("latency", seconds);
  checkResponseId(responseId);
  return {
    id: newId(),
    type: "add_response_latency",
    ...origin,
    latency: seconds,
    response_id: responseId,
  };
}

/** An `add_token_usage` operation; counters left out count as 0. */
export function tokenUsageOperation(
  origin: OperationOrigin,
  usage: TokenUsageInput,
): OperationInput {
  const counters = {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    cache_read_tokens: usage.cache_read_tokens ?? 0,
    cache_write_tokens: usage.cache_write_tokens ?? 0,
    reasoning_tokens: usage.reasoning_tokens ?? 0,
    context_window: usage.context_window ?? 0,
  };
  checkCounters(counters);

  const responseId = usage.response_id ?? "";
  checkResponseId(responseId);
  return {
    id: newId(),
    type: "add_token_usage",
    ...origin,
    ...counters,
    response_id: responseId,
  };
}

/** An `add_unpriced_call` operation: counted, never treated as free. */
export function unpricedOperation(
  origin: OperationOrigin,
  responseId: string,
): OperationInput {
  checkResponseId(responseId);
  return {
    id: newId(),
    type: "add_unpriced_call",
    ...origin,
    response_id: responseId,
  };
}

/**
 * Checks an operation built elsewhere (for example one a ServiceError hands
 * back to be sent again) by the same rules.
 */
export function checkOperation(op: OperationInput): void {
  checkString("id", op.id, 1, MAX_ID_LENGTH);
  checkOrigin(op);
  checkResponseId(
    "response_id" in op && op.response_id !== undefined ? op.response_id : "",
  );

  switch (op.type) {
    case "add_cost":
      checkCost(op.cost);
      return;
    case "add_response_latency":
      checkFinite("latency", op.latency);
      return;
    case "add_token_usage":
      checkCounters(op);
      return;
    case "add_unpriced_call":
      return;
    default:
      throw new InvalidOperationError(
        "type must be one of add_cost, add_response_latency, " +
          "add_token_usage, add_unpriced_call.",
      );
  }
}

/** A unique operation id; crypto.randomUUID exists in every target. */
function newId(): string {
  return crypto.randomUUID();
}

function checkCost(usd: number): void {
  checkFinite("cost", usd);
  if (usd < 0) throw new NegativeCostError();
  if (usd > MAX_COST_USD) {
    throw new InvalidOperationError(
      `cost must be at most ${MAX_COST_USD} USD.`,
    );
  }
}

/** The token counters of a call; the first two are required. */
const COUNTER_FIELDS = [
  "prompt_tokens",
  "completion_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
  "context_window",
] as const;

type Counters = Partial<Record<(typeof COUNTER_FIELDS)[number], number>>;

function checkCounters(usage: Counters): void {
  COUNTER_FIELDS.forEach((field, index) => {
    const value = usage[field];
    if (value === undefined && index >= 2) return;
    if (
      typeof value !== "number" ||
      !Number.isInteger(value) ||
      value < 0 ||
      value > MAX_TOKENS
    ) {
      throw new InvalidOperationError(
        `${field} must be a whole number of tokens from 0 to ${MAX_TOKENS}.`,
      );
    }
  });
}

function checkFinite(field: string, value: number): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidOperationError(`${field} must be a finite number.`);
  }
}

function checkResponseId(value: string): void {
  checkString("response_id", value, 0, MAX_RESPONSE_ID_LENGTH);
}

function checkString(
  field: string,
  value: string,
  min: number,
  max: number,
): void {
  if (typeof value !== "string" || value.length < min || value.length > max) {
    throw new InvalidOperationError(
      `${field} must be a string of ${min} to ${max} characters.`,
    );
  }
}
