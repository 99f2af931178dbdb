import type {
  ConversationSnapshot,
  ScopeSnapshot,
} from "../metrics/snapshot-types.js";
import { Metrics, type TokenUsageInput } from "../metrics/metrics.js";
import { emptyCounters } from "../metrics/totals.js";
import type { OperationInput } from "../operations/schema.js";
import {
  checkOrigin,
  costOperation,
  latencyOperation,
  tokenUsageOperation,
  unpricedOperation,
  type OperationOrigin,
} from "./build-operations.js";

/** What a source handle needs from its conversation. */
export interface SourceContext {
  write(op: OperationInput): void;
  snapshot(): Promise<ConversationSnapshot>;
}

/**
 * One LLM user's handle on the conversation's shared record, shaped like
 * OpenHands' Metrics: the `add*` calls are synchronous and queue an
 * operation with its own id; reads go to the shared record.
 */
export class SourceMetrics {
  /**
   * This handle's own calls in this process, as a plain Metrics object
   * tagged `source:model` (the seed design's tag): synchronous reads, and
   * `get()`/`diff()` for code written against OpenHands' Metrics.
   */
  readonly own: Metrics;
  readonly #origin: OperationOrigin;
  readonly #context: SourceContext;

  /** @throws InvalidOperationError for a bad source or model name */
  constructor(
    readonly source: string,
    readonly model: string,
    context: SourceContext,
  ) {
    this.#origin = { source, model };
    checkOrigin(this.#origin);
    this.#context = context;
    this.own = new Metrics(`${source}:${model}`);
  }

  /**
   * Adds a call's cost in USD.
   * @throws NegativeCostError ("Added cost cannot be negative.") below 0
   * @throws InvalidOperationError when not finite or above 1,000,000
   */
  addCost(usd: number): void {
    this.#context.write(costOperation(this.#origin, usd));
    this.own.addCost(usd);
  }

  /** Adds a call's latency in seconds; the record clamps below 0 to 0. */
  addResponseLatency(seconds: number, responseId: string): void {
    const op = latencyOperation(this.#origin, seconds, responseId);
    this.#context.write(op);
    this.own.addResponseLatency(seconds, responseId);
  }

  /**
   * Adds a call's token usage (counts inclusive of cached tokens, as
   * OpenAI reports them); `per_turn_token` becomes prompt + completion.
   */
  addTokenUsage(usage: TokenUsageInput): void {
    this.#context.write(tokenUsageOperation(this.#origin, usage));
    this.own.addTokenUsage(usage);
  }

  /** Counts a call that could not be priced, so it is never free. */
  addUnpricedCall(responseId = ""): void {
    this.#context.write(unpricedOperation(this.#origin, responseId));
  }

  /** The shared record of the whole conversation, every source in it. */
  snapshot(): Promise<ConversationSnapshot> {
    return this.#context.snapshot();
  }

  /**
   * This source's share of the shared record: every handle and process
   * writing under this source name, whatever its model.
   */
  async sourceSnapshot(): Promise<ScopeSnapshot> {
    const snapshot = await this.#context.snapshot();
    return snapshot.by_source[this.source] ?? this.#emptyScope(snapshot);
  }

  #emptyScope(snapshot: ConversationSnapshot): ScopeSnapshot {
    return {
      accumulated_cost: 0,
      max_budget_per_task: snapshot.max_budget_per_task,
      accumulated_token_usage: {
        model: this.model,
        ...emptyCounters(),
        response_id: "",
      },
      costs: [],
      response_latencies: [],
      token_usages: [],
      model_name: this.model,
      unpriced_calls: 0,
    };
  }
}
