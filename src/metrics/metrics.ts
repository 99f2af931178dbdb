import { nanosToUsd, usdToNanos } from "./money.js";
import {
  SNAPSHOT_LIST_LIMIT,
  type CostRecord,
  type MetricsSnapshot,
  type ResponseLatencyRecord,
  type TokenUsageRecord,
} from "./records.js";
import {
  callCounters,
  combineCounters,
  diffCounters,
  emptyCounters,
  type CallTokens,
} from "./totals.js";
import type { TokenCounters } from "./records.js";

/** Token usage of one call; the counters left out count as 0. */
export type TokenUsageInput = Partial<CallTokens> & {
  prompt_tokens: number;
  completion_tokens: number;
  response_id?: string;
};

/** Thrown for a cost below zero, with OpenHands' own sentence. */
export class NegativeCostError extends RangeError {
  override name = "NegativeCostError";
  constructor() {
    super("Added cost cannot be negative.");
  }
}

/** A list that keeps its newest entries and counts every entry it saw. */
class TailList<T> {
  #items: T[] = [];
  #dropped = 0;

  constructor(readonly limit: number) {}

  /** How many entries were ever pushed, kept or not. */
  get count(): number {
    return this.#dropped + this.#items.length;
  }

  push(item: T): void {
    this.#items.push(item);
    // Trim in chunks so a push stays O(1) amortised.
    if (this.#items.length >= this.limit * 2) {
      const excess = this.#items.length - this.limit;
      this.#items.splice(0, excess);
      this.#dropped += excess;
    }
  }

  /** The newest `limit` entries, oldest first. */
  tail(): T[] {
    return this.#items.slice(-this.limit);
  }

  /** The kept entries whose position is at or after `index`. */
  from(index: number): T[] {
    return this.#items.slice(Math.max(0, index - this.#dropped));
  }
}

interface CostEntry {
  model: string;
  nanos: number;
  timestamp: number;
  source?: string;
}

/**
 * An in-memory metrics record with OpenHands' rules. It is the local
 * fallback of the client library and the reference for the service: the
 * conversation object applies the same functions to its stored totals.
 */
export class Metrics {
  maxBudgetPerTask: number | null = null;
  #costNanos = 0;
  #tokens: TokenCounters = emptyCounters();
  #costs: TailList<CostEntry>;
  #latencies: TailList<ResponseLatencyRecord>;
  #usages: TailList<TokenUsageRecord>;

  /**
   * @param modelName the model this record's entries are tagged with
   * @param listLimit how many entries of each list `get()` returns
   */
  constructor(
    readonly modelName = "default",
    readonly listLimit = SNAPSHOT_LIST_LIMIT,
  ) {
    this.#costs = new TailList(listLimit);
    this.#latencies = new TailList(listLimit);
    this.#usages = new TailList(listLimit);
  }

  /** The exact total in USD. */
  get accumulatedCost(): number {
    return nanosToUsd(this.#costNanos);
  }

  /** The exact total in nano-USD. */
  get accumulatedCostNanos(): number {
    return this.#costNanos;
  }

  /** The accumulated token usage, tagged with this record's model. */
  get accumulatedTokenUsage(): TokenUsageRecord {
    return { model: this.modelName, ...this.#tokens, response_id: "" };
  }

  /**
   * Adds a call's cost in USD.
   * @throws NegativeCostError when `value` is below zero
   */
  addCost(value: number, timestamp = Date.now() / 1000): void {
    if (value < 0) throw new NegativeCostError();
    this.#addCostNanos(usdToNanos(value), this.modelName, timestamp);
  }

  /** Adds a call's latency in seconds; a negative one counts as 0. */
  addResponseLatency(value: number, responseId: string): void {
    this.#latencies.push({
      model: this.modelName,
      latency: Math.max(0, value),
      response_id: responseId,
    });
  }

  /** Adds a call's token usage; `per_turn_token` is prompt + completion. */
  addTokenUsage(usage: TokenUsageInput): void {
    const counters = callCounters({
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      cache_read_tokens: usage.cache_read_tokens ?? 0,
      cache_write_tokens: usage.cache_write_tokens ?? 0,
      reasoning_tokens: usage.reasoning_tokens ?? 0,
      context_window: usage.context_window ?? 0,
    });

    this.#usages.push({
      model: this.modelName,
      ...counters,
      response_id: usage.response_id ?? "",
    });
    this.#tokens = combineCounters(this.#tokens, counters);
  }

  /**
   * Adds another record into this one: costs add, lists concatenate, token
   * usage combines, and the budget is taken only when this one has none.
   */
  merge(other: Metrics): void {
    this.#costNanos += other.#costNanos;
    if (this.maxBudgetPerTask === null) {
      this.maxBudgetPerTask = other.maxBudgetPerTask;
    }
    for (const cost of other.#costs.from(0)) this.#costs.push(cost);
    for (const item of other.#latencies.from(0)) this.#latencies.push(item);
    for (const item of other.#usages.from(0)) this.#usages.push(item);
    this.#tokens = combineCounters(this.#tokens, other.#tokens);
  }

  /**
   * What happened after `baseline`, a copy of this record taken earlier:
   * cost and counters minus the baseline's, list entries after its own.
   */
  diff(baseline: Metrics): Metrics {
    const result = new Metrics(this.modelName, this.listLimit);
    result.maxBudgetPerTask = this.maxBudgetPerTask;
    result.#costNanos = this.#costNanos - baseline.#costNanos;
    result.#tokens = diffCounters(this.#tokens, baseline.#tokens);

    for (const cost of this.#costs.from(baseline.#costs.count)) {
      result.#costs.push(cost);
    }
    for (const item of this.#latencies.from(baseline.#latencies.count)) {
      result.#latencies.push(item);
    }
    for (const item of this.#usages.from(baseline.#usages.count)) {
      result.#usages.push(item);
    }
    return result;
  }

  /** A copy that later changes to this record do not reach. */
  copy(): Metrics {
    const result = new Metrics(this.modelName, this.listLimit);
    result.merge(this);
    result.maxBudgetPerTask = this.maxBudgetPerTask;
    return result;
  }

  /** The serialised shape of OpenHands' `Metrics.get()`. */
  get(): MetricsSnapshot {
    return {
      accumulated_cost: this.accumulatedCost,
      max_budget_per_task: this.maxBudgetPerTask,
      accumulated_token_usage: this.accumulatedTokenUsage,
      costs: this.#costs.tail().map(toCostRecord),
      response_latencies: this.#latencies.tail(),
      token_usages: this.#usages.tail(),
      model_name: this.modelName,
    };
  }

  #addCostNanos(nanos: number, model: string, timestamp: number): void {
    this.#costNanos += nanos;
    this.#costs.push({ model, nanos, timestamp });
  }
}

function toCostRecord(entry: CostEntry): CostRecord {
  return {
    model: entry.model,
    cost: nanosToUsd(entry.nanos),
    timestamp: entry.timestamp,
  };
}
