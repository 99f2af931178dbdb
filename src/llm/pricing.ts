/**
 * The cost of one call, in whole nano-USD, or the reason it has none.
 *
 * Precedence, first that applies:
 * 1. a per-model price from `PRICE_OVERRIDES` (the operator knows best);
 * 2. a cost the upstream reported (the `x-litellm-response-cost` header,
 *    else `usage.cost` in the body) - except that a reported 0 is believed
 *    only when nothing below prices the model, since proxies report 0 for
 *    models they cannot price, while free models exist;
 * 3. the fixed simulated rate, for the simulated upstream's models;
 * 4. the `@pydantic/genai-prices` table.
 * Otherwise the call is UNPRICED, never $0, so that it can be counted and
 * shown rather than silently treated as free.
 */
import { usdToNanos } from "../metrics/money.js";
import type { CallUsage } from "./call-usage.js";
import {
  costAtPriceNanos,
  type ModelPrice,
  type PricedCounts,
} from "./model-price.js";
import type { PriceOverrides } from "./price-overrides.js";
import { tableCostNanos } from "./price-table.js";
import {
  isSimulatedModel,
  SIMULATED_PRICE,
} from "./simulated/simulated-model.js";

/** Where a call's price came from. */
export type PriceSource = "override" | "upstream" | "simulated" | "table";

/** Why a call has no price. */
export type UnpricedReason =
  "unknown_model" | "usage_unreported" | "inconsistent_usage";

/** A call's cost, or why it has none. */
export type CallCost =
  | { priced: true; cost_nanos: number; source: PriceSource }
  | { priced: false; reason: UnpricedReason; message: string };

/** What pricing needs beyond the call's usage. */
export interface PricingOptions {
  /** From `parsePriceOverrides(env.PRICE_OVERRIDES)`. */
  overrides: PriceOverrides;
  /** From `pricingProviderId(api, baseUrl)`. */
  providerId: string;
  /**
   * The model the caller asked for. Prices are looked up by the model that
   * answered first, then by this one (an upstream may answer as a dated
   * snapshot or a local path).
   */
  requestedModel?: string;
  /** From `upstreamCostFromHeaders(response.headers)`. */
  headerCostUsd?: number;
  /** When the call was made, for historic prices; default now. */
  at?: Date;
}

/**
 * Prices one call.
 *
 * @example
 * const cost = priceCall(usage, {
 *   overrides, providerId, requestedModel: "gpt-4o",
 *   headerCostUsd: upstreamCostFromHeaders(upstream.headers),
 * });
 * if (!cost.priced) recordUnpriced(cost.reason);
 */
export function priceCall(usage: CallUsage, options: PricingOptions): CallCost {
  const models = candidateModels(usage.model, options.requestedModel);
  const countsFit = cacheFitsPrompt(usage);

  const override = overridePrice(models, options.overrides);
  if (override !== undefined && usage.usage_reported && countsFit) {
    return priced(costAtPriceNanos(override, usage), "override");
  }

  const reportedUsd = options.headerCostUsd ?? usage.upstream_cost_usd;
  if (reportedUsd !== undefined && reportedUsd > 0) {
    return priced(usdToNanos(reportedUsd), "upstream");
  }

  const builtIn =
    usage.usage_reported && countsFit
      ? builtInCost(models, usage, options)
      : undefined;
  if (builtIn !== undefined) {
    return builtIn;
  }
  if (reportedUsd !== undefined) {
    return priced(0, "upstream");
  }
  return unpricedFor(usage, countsFit);
}

/**
 * A price for `counts` from the built-in sources (simulated rate, then the
 * table), trying each candidate model name in turn.
 */
export function builtInCost(
  models: readonly string[],
  counts: PricedCounts,
  options: Pick<PricingOptions, "providerId" | "at">,
): CallCost | undefined {
  for (const model of models) {
    if (isSimulatedModel(model)) {
      return priced(costAtPriceNanos(SIMULATED_PRICE, counts), "simulated");
    }

    const nanos = tableCostNanos(model, counts, options.providerId, options.at);
    if (nanos !== undefined) {
      return priced(nanos, "table");
    }
  }
  return undefined;
}

/** The override for the first candidate model that has one. */
export function overridePrice(
  models: readonly string[],
  overrides: PriceOverrides,
): ModelPrice | undefined {
  for (const model of models) {
    const price = overrides.get(model);
    if (price !== undefined) {
      return price;
    }
  }
  return undefined;
}

/** The answering model, then the requested one when it differs. */
export function candidateModels(
  answered: string,
  requested: string | undefined,
): string[] {
  const models = answered === "" ? [] : [answered];
  if (requested !== undefined && requested !== "" && requested !== answered) {
    models.push(requested);
  }
  return models;
}

function cacheFitsPrompt(counts: PricedCounts): boolean {
  return (
    counts.cache_read_tokens + counts.cache_write_tokens <= counts.prompt_tokens
  );
}

function priced(costNanos: number, source: PriceSource): CallCost {
  return { priced: true, cost_nanos: costNanos, source };
}

function unpricedFor(usage: CallUsage, countsFit: boolean): CallCost {
  if (!usage.usage_reported) {
    return {
      priced: false,
      reason: "usage_unreported",
      message: "The upstream reported neither token usage nor a cost.",
    };
  }
  if (!countsFit) {
    return {
      priced: false,
      reason: "inconsistent_usage",
      message:
        "The upstream reported more cached tokens than prompt tokens, " +
        "so its usage cannot be priced.",
    };
  }
  return {
    priced: false,
    reason: "unknown_model",
    message:
      `No price is known for model "${usage.model}". Add it to ` +
      "PRICE_OVERRIDES to price it.",
  };
}
