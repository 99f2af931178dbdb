import { z } from "zod";
import { MAX_TOTAL_NANOS, nanosToUsd, usdToNanos } from "../metrics/money.js";
import { MAX_COST_USD, wellFormedString } from "../operations/schema.js";
import { refuse, ok, type Outcome } from "./outcome.js";
import type { IncomingOperation } from "./record-types.js";

// OpenHands' saved `Metrics.get()`; unknown fields are ignored, since the
// format grows between releases.
// Saved totals add up many calls, so only exactness bounds them.
const tokens = z.number().int().min(0).max(MAX_TOTAL_NANOS).default(0);
const cost = z.number().min(0).max(MAX_COST_USD);
const modelName = wellFormedString("must be a string naming the model").max(
  256,
);
const responseId = wellFormedString("must be a string").max(256).default("");
const usage = z.object({
  model: modelName.optional(),
  prompt_tokens: tokens,
  completion_tokens: tokens,
  cache_read_tokens: tokens,
  cache_write_tokens: tokens,
  reasoning_tokens: tokens,
  context_window: tokens,
  response_id: responseId,
});

const savedMetrics = z.object({
  accumulated_cost: cost.default(0),
  max_budget_per_task: cost.nullable().default(null),
  accumulated_token_usage: usage.optional(),
  costs: z
    .array(z.object({ model: modelName, cost, timestamp: z.number() }))
    .default([]),
  response_latencies: z
    .array(
      z.object({
        model: modelName,
        latency: z.number(),
        response_id: responseId,
      }),
    )
    .default([]),
  token_usages: z.array(usage.extend({ model: modelName })).default([]),
  model_name: modelName.optional(),
});

/** `PUT /import`: a map from OpenHands service id to its saved metrics. */
export const importBody = z.record(
  z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, {
    error: "service ids must be 1 to 64 letters, digits or _ . : -",
  }),
  savedMetrics,
);

export type ImportBody = z.output<typeof importBody>;
type Saved = z.output<typeof savedMetrics>;
type Counter =
  | "prompt_tokens"
  | "completion_tokens"
  | "cache_read_tokens"
  | "cache_write_tokens"
  | "reasoning_tokens";

const COUNTERS: Counter[] = [
  "prompt_tokens",
  "completion_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "reasoning_tokens",
];

/**
 * The operations that rebuild one service's saved record. OpenHands keeps
 * only the newest entries of each list while its totals stay exact, so what
 * the totals hold beyond the lists comes first as one "remainder" cost and
 * one token usage: totals then match the saved ones, and the latest call
 * still sets `per_turn_token`.
 */
function serviceOperations(
  service: string,
  saved: Saved,
): Outcome<IncomingOperation[]> {
  const model = saved.model_name ?? saved.accumulated_token_usage?.model;
  const base = { source: service, model: model || "unknown" };
  const ops: IncomingOperation[] = [];

  const listed = saved.costs.reduce((s, c) => s + usdToNanos(c.cost), 0);
  const missingNanos = usdToNanos(saved.accumulated_cost) - listed;
  // Float sums in the saved total differ from exact ones by a few nano-USD.
  if (missingNanos < -saved.costs.length) {
    return refuse(
      422,
      "inconsistent_import",
      `Service "${service}": its costs add up to more than its ` +
        `accumulated_cost; nothing was imported.`,
    );
  }
  if (missingNanos > 0) {
    const id = `import:${service}:cost-remainder`;
    ops.push({ ...base, id, type: "add_cost", cost: nanosToUsd(missingNanos) });
  }

  const acc = saved.accumulated_token_usage;
  if (acc) {
    const missing = Object.fromEntries(
      COUNTERS.map((k) => [
        k,
        acc[k] - saved.token_usages.reduce((s, u) => s + u[k], 0),
      ]),
    ) as Record<Counter, number>;
    if (COUNTERS.some((k) => missing[k] < 0)) {
      return refuse(
        422,
        "inconsistent_import",
        `Service "${service}": its token usages add up to more than its ` +
          `accumulated_token_usage; nothing was imported.`,
      );
    }
    if (COUNTERS.some((k) => missing[k] > 0)) {
      ops.push({
        ...base,
        id: `import:${service}:usage-remainder`,
        type: "add_token_usage",
        ...missing,
        context_window: acc.context_window,
        response_id: "",
      });
    }
  }

  saved.costs.forEach((c, i) =>
    ops.push({
      ...base,
      id: `import:${service}:cost:${i}`,
      type: "add_cost",
      model: c.model,
      cost: c.cost,
      timestamp: c.timestamp,
    }),
  );
  saved.response_latencies.forEach((l, i) =>
    ops.push({
      ...base,
      id: `import:${service}:latency:${i}`,
      type: "add_response_latency",
      model: l.model,
      latency: l.latency,
      response_id: l.response_id,
    }),
  );
  saved.token_usages.forEach((u, i) =>
    ops.push({
      ...base,
      id: `import:${service}:usage:${i}`,
      type: "add_token_usage",
      model: u.model,
      prompt_tokens: u.prompt_tokens,
      completion_tokens: u.completion_tokens,
      cache_read_tokens: u.cache_read_tokens,
      cache_write_tokens: u.cache_write_tokens,
      reasoning_tokens: u.reasoning_tokens,
      context_window: u.context_window,
      response_id: u.response_id,
    }),
  );
  return ok(ops);
}

/** What an import applies: the operations and the budget to keep. */
export interface ImportPlan {
  operations: IncomingOperation[];
  /** The first budget any service had, as OpenHands' merge keeps it. */
  budgetUsd: number | null;
}

/** Turns saved per-service metrics into one batch, or refuses it whole. */
export function planImport(body: ImportBody): Outcome<ImportPlan> {
  const operations: IncomingOperation[] = [];
  let budgetUsd: number | null = null;

  for (const [service, saved] of Object.entries(body)) {
    const outcome = serviceOperations(service, saved);
    if (!outcome.ok) return outcome;
    operations.push(...outcome.value);
    budgetUsd ??= saved.max_budget_per_task;
  }
  return ok({ operations, budgetUsd });
}
