import type {
  ConversationSnapshot,
  ConversationTotals,
  ScopeSnapshot,
  ScopeTotals,
} from "../conversation/snapshot-types.js";
import { nanosToUsd } from "../metrics/money.js";
import {
  SNAPSHOT_LIST_LIMIT,
  type CostRecord,
  type ResponseLatencyRecord,
  type TokenUsageRecord,
} from "../metrics/records.js";
import type { Totals } from "../metrics/totals.js";
import type { AppliedOperation } from "../operations/applied.js";
import type { LocalRecord } from "./local-record.js";

/** The model name of the combined record, as the service names it. */
const COMBINED_MODEL_NAME = "default";

/** A local record's totals without lists: what an update carries. */
export function localTotals(record: LocalRecord): ConversationTotals {
  const map = (scopes: Map<string, Totals>, byModel: boolean) =>
    Object.fromEntries(
      [...scopes].map(([name, totals]) => [
        name,
        scopeTotals(totals, byModel ? name : totals.lastModel),
      ]),
    );

  return {
    conversation_id: record.conversationId,
    seq: record.seq,
    ...scopeTotals(record.all, COMBINED_MODEL_NAME),
    by_source: map(record.bySource, false),
    by_model: map(record.byModel, true),
  };
}

/**
 * A local record's snapshot, the shape of `GET /metrics`: totals, the
 * newest entries of each list, and each source's and model's share.
 */
export function localSnapshot(record: LocalRecord): ConversationSnapshot {
  const { by_source, by_model, ...combined } = localTotals(record);
  const costs = record.lists.costs.slice(-SNAPSHOT_LIST_LIMIT);
  const latencies = record.lists.latencies.slice(-SNAPSHOT_LIST_LIMIT);
  const usages = record.lists.token_usages.slice(-SNAPSHOT_LIST_LIMIT);

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

  const { conversation_id, seq, ...rest } = combined;
  return {
    ...withLists(rest, () => true),
    conversation_id,
    seq,
    by_source: mapScopes(by_source, "source"),
    by_model: mapScopes(by_model, "model"),
  };
}

function scopeTotals(totals: Totals, modelName: string): ScopeTotals {
  return {
    accumulated_cost: nanosToUsd(totals.costNanos),
    // A local record has no budget: OpenHands' Metrics default.
    max_budget_per_task: null,
    accumulated_token_usage: {
      model: modelName,
      ...totals.tokens,
      response_id: "",
    },
    model_name: modelName,
    unpriced_calls: totals.unpricedCount,
  };
}

function costRecord(op: AppliedOperation): CostRecord {
  const cost = op.type === "add_cost" ? op.cost : 0;
  return { model: op.model, cost, timestamp: op.timestamp, source: op.source };
}

function latencyRecord(op: AppliedOperation): ResponseLatencyRecord {
  return {
    model: op.model,
    latency: op.type === "add_response_latency" ? op.latency : 0,
    response_id: "response_id" in op ? op.response_id : "",
    source: op.source,
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
