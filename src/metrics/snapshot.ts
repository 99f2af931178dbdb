import { nanosToUsd } from "./money.js";
import type {
  CostRecord,
  ResponseLatencyRecord,
  TokenUsageRecord,
} from "./records.js";
import type { Totals } from "./totals.js";
import type { AppliedOperation } from "../operations/applied.js";
import type { ScopedTotals } from "./scoped-totals.js";
import type { RecentLists } from "./recent-lists.js";
import type {
  ConversationSnapshot,
  ConversationTotals,
  ScopeSnapshot,
  ScopeTotals,
} from "./snapshot-types.js";

/** The model name of the combined record, as OpenHands' combined metrics. */
export const COMBINED_MODEL_NAME = "default";

/** What a snapshot needs besides the totals and lists. */
export interface SnapshotContext {
  conversationId: string;
  seq: number;
  budgetNanos: number | null;
}

function scopeTotals(
  totals: Totals,
  modelName: string,
  budget: number | null,
): ScopeTotals {
  return {
    accumulated_cost: nanosToUsd(totals.costNanos),
    max_budget_per_task: budget,
    accumulated_token_usage: {
      model: modelName,
      ...totals.tokens,
      response_id: "",
    },
    model_name: modelName,
    unpriced_calls: totals.unpricedCount,
  };
}

/** The conversation's totals without lists: what a live update carries. */
export function buildTotals(
  totals: ScopedTotals,
  context: SnapshotContext,
): ConversationTotals {
  const budget =
    context.budgetNanos === null ? null : nanosToUsd(context.budgetNanos);
  const map = (scopes: Map<string, Totals>, byModel: boolean) =>
    Object.fromEntries(
      // Sorted, so the JSON is the same before and after a restart.
      [...scopes]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, t]) => [
          name,
          scopeTotals(t, byModel ? name : t.lastModel, budget),
        ]),
    );

  return {
    conversation_id: context.conversationId,
    seq: context.seq,
    ...scopeTotals(totals.all, COMBINED_MODEL_NAME, budget),
    by_source: map(totals.source, false),
    by_model: map(totals.model, true),
  };
}

function costRecord(op: AppliedOperation): CostRecord {
  const cost = op.type === "add_cost" ? op.cost : 0;
  return { model: op.model, cost, timestamp: op.timestamp, source: op.source };
}

function latencyRecord(op: AppliedOperation): ResponseLatencyRecord {
  if (op.type !== "add_response_latency") {
    throw new TypeError(`expected add_response_latency, got ${op.type}`);
  }
  const ttft = op.time_to_first_token;
  return {
    model: op.model,
    latency: op.latency,
    response_id: op.response_id,
    source: op.source,
    ...(ttft === undefined ? {} : { time_to_first_token: ttft }),
  };
}

function usageRecord(op: AppliedOperation): TokenUsageRecord {
  if (op.type !== "add_token_usage") {
    throw new TypeError(`expected add_token_usage, got ${op.type}`);
  }
  return {
    model: op.model,
    prompt_tokens: op.prompt_tokens,
    completion_tokens: op.completion_tokens,
    cache_read_tokens: op.cache_read_tokens,
    cache_write_tokens: op.cache_write_tokens,
    reasoning_tokens: op.reasoning_tokens,
    context_window: op.context_window,
    per_turn_token: op.prompt_tokens + op.completion_tokens,
    response_id: op.response_id,
    source: op.source,
  };
}

/**
 * The full snapshot: totals from memory, the newest 500 entries of each
 * list, and each source's and model's share of those lists.
 */
export function buildSnapshot(
  totals: ScopedTotals,
  recent: RecentLists,
  context: SnapshotContext,
): ConversationSnapshot {
  const combined = buildTotals(totals, context);
  const costs = recent.newest("costs");
  const latencies = recent.newest("latencies");
  const usages = recent.newest("token_usages");

  const withLists = (
    scope: ScopeTotals,
    keep: (op: AppliedOperation) => boolean,
  ): ScopeSnapshot => ({
    ...scope,
    costs: costs.filter(keep).map(costRecord),
    response_latencies: latencies.filter(keep).map(latencyRecord),
    token_usages: usages.filter(keep).map(usageRecord),
  });
  const mapScopes = (
    scopes: Record<string, ScopeTotals>,
    field: "source" | "model",
  ) =>
    Object.fromEntries(
      Object.entries(scopes).map(([name, scope]) => [
        name,
        withLists(scope, (op) => op[field] === name),
      ]),
    );

  const { by_source, by_model, ...rest } = combined;
  return {
    ...withLists(rest, () => true),
    conversation_id: combined.conversation_id,
    seq: combined.seq,
    by_source: mapScopes(by_source, "source"),
    by_model: mapScopes(by_model, "model"),
  };
}
