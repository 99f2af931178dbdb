/**
 * Records a call the upstream answered: prices what it used, settles the
 * operations with the conversation's object (which also lets go of the
 * reservation), and logs one line about it.
 */
import {
  priceCall,
  tableContextWindow,
  upstreamCostFromHeaders,
  type CallUsage,
} from "../llm/index.js";
import type { CallContext } from "./call-context.js";
import { callOperations } from "./call-operations.js";

/** What the upstream's answer told about the call. */
export interface CallFacts {
  usage: CallUsage;
  latencySeconds: number;
  /** Streams only: null when no byte arrived. */
  timeToFirstByteSeconds?: number | null;
  /** How the call ended, for the log: "completed", "client_aborted"... */
  outcome: string;
  /** The upstream's response headers, which may carry its own cost. */
  upstreamHeaders: Headers;
}

/** What recording found, in nano-USD. */
export interface Recorded {
  /** The call's cost; null when it could not be priced. */
  costNanos: number | null;
  /** The conversation's total after it; null when not recorded. */
  totalNanos: number | null;
}

/** Prices, settles and logs one answered call. */
export async function recordCall(
  ctx: CallContext,
  facts: CallFacts,
): Promise<Recorded> {
  const { usage } = facts;
  const cost = priceCall(usage, {
    overrides: ctx.settings.overrides,
    providerId: ctx.target.providerId,
    requestedModel: ctx.request.model,
    headerCostUsd: upstreamCostFromHeaders(facts.upstreamHeaders),
  });
  const contextWindow =
    tableContextWindow(usage.model, ctx.target.providerId) ||
    tableContextWindow(ctx.request.model, ctx.target.providerId);

  const ops = callOperations(ctx.budget.reservationId, {
    source: ctx.request.source,
    usage,
    cost,
    latencySeconds: facts.latencySeconds,
    timeToFirstTokenSeconds: facts.timeToFirstByteSeconds,
    contextWindow,
  });
  const totalNanos = await ctx.budget.settle(ops);
  const costNanos = cost.priced ? cost.cost_nanos : null;

  console.log(
    JSON.stringify({
      message: "llm call",
      conversationId: ctx.budget.conversationId,
      reservationId: ctx.budget.reservationId,
      api: ctx.request.api,
      source: ctx.request.source,
      requestedModel: ctx.request.model,
      model: usage.model,
      simulated: ctx.target.simulated,
      stream: ctx.request.stream,
      outcome: facts.outcome,
      latencySeconds: facts.latencySeconds,
      timeToFirstByteSeconds: facts.timeToFirstByteSeconds ?? null,
      usageReported: usage.usage_reported,
      costNanos,
      unpricedReason: cost.priced ? null : cost.reason,
      recorded: totalNanos !== null,
    }),
  );
  return { costNanos, totalNanos };
}
