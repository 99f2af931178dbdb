import { z } from "zod";

/** The most operations one request (or one socket frame) may carry. */
export const MAX_OPERATIONS_PER_BATCH = 1000;

/** The largest single cost, in USD, an operation may add. */
export const MAX_COST_USD = 1_000_000;

/**
 * The largest token count one call may report: far above any context
 * window, and low enough that totals stay exact for millions of calls.
 */
export const MAX_TOKENS = 1_000_000_000;

/** A lone UTF-16 surrogate: storage would not give such a string back. */
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string that is well-formed Unicode, so it reads back as it was sent. */
export const wellFormedString = (error: string) =>
  z.string({ error }).refine((value) => !LONE_SURROGATE.test(value), {
    error: "must be well-formed Unicode (it has a lone surrogate)",
  });

const SHORT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** A client-chosen operation id: the key that makes a retry harmless. */
const operationId = wellFormedString(
  "must be a string that names this operation",
)
  .min(1, "must not be empty")
  .max(128, "must be at most 128 characters");

/** The LLM user: agent, condenser, draft_editor, title_generator, ... */
const source = z
  .string({ error: 'must be a string such as "agent"' })
  .regex(
    SHORT_NAME,
    'must be 1 to 64 letters, digits or _ . : - (for example "agent")',
  );

const model = wellFormedString("must be a string naming the model")
  .min(1, "must not be empty")
  .max(256, "must be at most 256 characters");

const responseId = wellFormedString("must be a string")
  .max(256, "must be at most 256 characters")
  .default("");

const tokens = z
  .number({ error: "must be a whole number of tokens" })
  .int("must be a whole number of tokens")
  .min(0, "must not be negative")
  .max(MAX_TOKENS, `must be at most ${MAX_TOKENS}`);

const base = { id: operationId, source, model };

export const addCostSchema = z.strictObject({
  ...base,
  type: z.literal("add_cost"),
  cost: z
    .number({ error: "must be a finite number of USD" })
    .min(0, "Added cost cannot be negative.")
    .max(MAX_COST_USD, `must be at most ${MAX_COST_USD} USD`),
});

export const addResponseLatencySchema = z.strictObject({
  ...base,
  type: z.literal("add_response_latency"),
  // A negative latency is accepted and clamped to 0, as OpenHands does.
  latency: z.number({ error: "must be a finite number of seconds" }),
  response_id: responseId,
  /** Streamed calls: seconds until the first byte of the answer. */
  time_to_first_token: z
    .number({ error: "must be a finite number of seconds" })
    .min(0, "must not be negative")
    .optional(),
});

export const addTokenUsageSchema = z.strictObject({
  ...base,
  type: z.literal("add_token_usage"),
  prompt_tokens: tokens,
  completion_tokens: tokens,
  cache_read_tokens: tokens.default(0),
  cache_write_tokens: tokens.default(0),
  reasoning_tokens: tokens.default(0),
  context_window: tokens.default(0),
  response_id: responseId,
});

/** A call that could not be priced: counted, never treated as free. */
export const addUnpricedCallSchema = z.strictObject({
  ...base,
  type: z.literal("add_unpriced_call"),
  response_id: responseId,
});

export const operationSchema = z.discriminatedUnion(
  "type",
  [
    addCostSchema,
    addResponseLatencySchema,
    addTokenUsageSchema,
    addUnpricedCallSchema,
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? "must be one of add_cost, add_response_latency, " +
          "add_token_usage, add_unpriced_call"
        : undefined,
  },
);

export const operationBatchSchema = z.strictObject({
  operations: z
    .array(operationSchema, { error: "must be an array of operations" })
    .min(1, "must hold at least one operation")
    .max(
      MAX_OPERATIONS_PER_BATCH,
      `must hold at most ${MAX_OPERATIONS_PER_BATCH} operations`,
    ),
});

/** One validated operation, with defaults filled in. */
export type Operation = z.output<typeof operationSchema>;

/** The operation types, as their `type` field names them. */
export type OperationType = Operation["type"];

/** An operation as a client sends it, before defaults. */
export type OperationInput = z.input<typeof operationSchema>;
