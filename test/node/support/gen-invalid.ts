import { randomOperation, type Mix } from "./gen-operations.js";
import type { Random } from "./random.js";
import type { OperationInput } from "./wire.js";

/** What the service must answer to a request it refuses. */
export interface Refusal {
  /** Acceptable statuses, as API.md names them. */
  statuses: number[];
  /** Acceptable error types, as API.md names them. */
  types: string[];
}

/** A request that must be refused whole and change nothing. */
export interface InvalidRequest {
  kind: "invalid";
  conversationId: string;
  why: string;
  /** The raw body: text, so that malformed JSON can be sent. */
  body: string;
  /** The key to send; null sends none; left out sends the right one. */
  key?: string | null;
  expect: Refusal;
}

type Body = { operations: unknown };

/** Builds the body of one kind of bad request around good operations. */
interface BadCase {
  why: string;
  expect: Refusal;
  key?: string | null;
  build(rng: Random, good: OperationInput[], nextId: () => string): string;
}

const INVALID_REQUEST: Refusal = {
  statuses: [422],
  types: ["invalid_request"],
};
const INVALID_JSON: Refusal = { statuses: [400], types: ["invalid_json"] };
const UNAUTHORIZED: Refusal = { statuses: [401], types: ["unauthorized"] };

/** A mix that leaves sources and models unweighted. */
const PLAIN: Mix = { heavySourceWeight: 0, heavyModelWeight: 0 };

/** The good operations with `bad` put at a random place among them. */
function withBad(
  rng: Random,
  good: OperationInput[],
  bad: Record<string, unknown>,
): string {
  const ops: unknown[] = [...good];
  ops.splice(rng.int(0, ops.length), 0, bad);
  return JSON.stringify({ operations: ops } satisfies Body);
}

/** A case where one operation is changed so that it breaks a rule. */
function badOperation(
  why: string,
  type: OperationInput["type"],
  change: (op: Record<string, unknown>) => void,
): BadCase {
  return {
    why,
    expect: INVALID_REQUEST,
    build(rng, good, nextId) {
      const op: Record<string, unknown> = {
        ...randomOperation(rng, nextId(), PLAIN, type),
      };
      change(op);
      return withBad(rng, good, op);
    },
  };
}

/** A cost whose text is swapped for `literal` after serialising. */
function rawCost(why: string, literal: string, expect: Refusal): BadCase {
  return {
    why,
    expect,
    build(rng, good, nextId) {
      const marker = 424242.125;
      const op = { id: nextId(), type: "add_cost", source: "agent" };
      const text = withBad(rng, good, { ...op, model: "m", cost: marker });
      return text.replace(String(marker), literal);
    },
  };
}

/** Every kind of bad request the randomized run sends. */
export const BAD_CASES: readonly BadCase[] = [
  badOperation("negative cost", "add_cost", (op) => (op.cost = -0.25)),
  badOperation("cost as a string", "add_cost", (op) => (op.cost = "0.25")),
  badOperation("unknown type", "add_cost", (op) => (op.type = "add_magic")),
  badOperation("missing id", "add_cost", (op) => delete op.id),
  badOperation("empty id", "add_response_latency", (op) => (op.id = "")),
  badOperation("unknown field", "add_token_usage", (op) => (op.extra = 1)),
  badOperation("missing source", "add_unpriced_call", (op) => {
    delete op.source;
  }),
  badOperation("latency null", "add_response_latency", (op) => {
    op.latency = null;
  }),
  badOperation("negative prompt tokens", "add_token_usage", (op) => {
    op.prompt_tokens = -1;
  }),
  badOperation("fractional tokens", "add_token_usage", (op) => {
    op.completion_tokens = 1.5;
  }),
  badOperation("tokens as a string", "add_token_usage", (op) => {
    op.reasoning_tokens = "12";
  }),
  badOperation("negative context window", "add_token_usage", (op) => {
    op.context_window = -4096;
  }),
  rawCost("NaN cost", "NaN", INVALID_JSON),
  // JSON.parse reads 1e999 as Infinity: a parse error or a refused value.
  rawCost("infinite cost", "1e999", {
    statuses: [422, 400],
    types: ["invalid_request", "invalid_json"],
  }),
  {
    why: "truncated JSON",
    expect: INVALID_JSON,
    build: (_rng, good) => JSON.stringify({ operations: good }).slice(0, -2),
  },
  {
    why: "empty batch",
    expect: INVALID_REQUEST,
    build: () => JSON.stringify({ operations: [] }),
  },
  {
    why: "operations not an array",
    expect: INVALID_REQUEST,
    build: (_rng, good) => JSON.stringify({ operations: { ...good } }),
  },
  {
    why: "1001 operations",
    expect: { statuses: [413], types: ["batch_too_large"] },
    build(rng, good, nextId) {
      const ops = [...good];
      while (ops.length < 1001) {
        ops.push(randomOperation(rng, nextId(), PLAIN));
      }
      return JSON.stringify({ operations: ops });
    },
  },
  {
    why: "wrong key",
    expect: UNAUTHORIZED,
    key: "not-the-key",
    build: (_rng, good) => JSON.stringify({ operations: good }),
  },
  {
    why: "no key",
    expect: UNAUTHORIZED,
    key: null,
    build: (_rng, good) => JSON.stringify({ operations: good }),
  },
];
