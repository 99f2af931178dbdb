/**
 * An independent model of one conversation's metrics, written from
 * DOMAIN.md and issue 2 only. It imports nothing from src/: it exists to
 * catch mistakes there. Money is BigInt nano-USD, counters are BigInt.
 */
import { exactNumber, nanosToUsd, usdToNanos } from "./decimal.js";
import type {
  AddCost,
  AddResponseLatency,
  AddTokenUsage,
  BatchResult,
  OperationInput,
} from "./wire.js";

/** Entries of each list a snapshot carries; older ones drop off. */
export const LIST_LIMIT = 500;

/**
 * Which entries the lists of a source or a model hold. "own": that part's
 * own newest 500, as its own `Metrics.get()` would (issue 2: "each a map to
 * the same shape"). "share": the part's entries among the conversation's
 * newest 500 (the service's reading, src/metrics/snapshot-types.ts).
 */
export type ScopeLists = "own" | "share";

/**
 * Conventions of the contract rather than rules of the model: the combined
 * record is named like OpenHands' default `Metrics`, a part's record is
 * named after its latest model, and every part reports the conversation's
 * budget (the one limit on the combined cost).
 */
const COMBINED_MODEL_NAME = "default";

/** Looks up the time the service applied an operation, by its id. */
export type TimestampOf = (operationId: string) => number;

interface Usage {
  prompt: bigint;
  completion: bigint;
  cacheRead: bigint;
  cacheWrite: bigint;
  reasoning: bigint;
  contextWindow: bigint;
}

/** An applied operation with every default filled in. */
type Applied = Required<OperationInput> & { seq: number };
type AppliedCost = Required<AddCost> & { seq: number };
type AppliedLatency = Required<AddResponseLatency> & { seq: number };
type AppliedUsage = Required<AddTokenUsage> & { seq: number };

/** The running record of one scope: the whole, a source or a model. */
class Scope {
  costNanos = 0n;
  usage: Usage = {
    prompt: 0n,
    completion: 0n,
    cacheRead: 0n,
    cacheWrite: 0n,
    reasoning: 0n,
    contextWindow: 0n,
  };
  perTurn = 0n;
  unpriced = 0;
  lastModel = "";
  costs: AppliedCost[] = [];
  latencies: AppliedLatency[] = [];
  usages: AppliedUsage[] = [];

  add(op: Applied): void {
    this.lastModel = op.model;

    if (op.type === "add_cost") {
      this.costNanos += usdToNanos(op.cost);
      this.costs.push(op);
    } else if (op.type === "add_response_latency") {
      this.latencies.push(op);
    } else if (op.type === "add_token_usage") {
      this.addUsage(op);
      this.usages.push(op);
    } else {
      this.unpriced += 1;
    }
  }

  private addUsage(op: AppliedUsage): void {
    const u = this.usage;
    u.prompt += BigInt(op.prompt_tokens);
    u.completion += BigInt(op.completion_tokens);
    u.cacheRead += BigInt(op.cache_read_tokens);
    u.cacheWrite += BigInt(op.cache_write_tokens);
    u.reasoning += BigInt(op.reasoning_tokens);

    const window = BigInt(op.context_window);
    if (window > u.contextWindow) u.contextWindow = window;

    // The latest call's prompt + completion, not a sum.
    this.perTurn = BigInt(op.prompt_tokens) + BigInt(op.completion_tokens);
  }
}

/** Fills the defaults the contract names: 0 tokens, "" response id. */
function withDefaults(op: OperationInput, seq: number): Applied {
  switch (op.type) {
    case "add_cost":
      // The service keeps whole nano-USD, so it reports the rounded cost.
      return { ...op, cost: nanosToUsd(usdToNanos(op.cost)), seq };
    case "add_response_latency":
      return {
        ...op,
        latency: op.latency < 0 ? 0 : op.latency,
        response_id: op.response_id ?? "",
        seq,
      };
    case "add_token_usage":
      return {
        ...op,
        cache_read_tokens: op.cache_read_tokens ?? 0,
        cache_write_tokens: op.cache_write_tokens ?? 0,
        reasoning_tokens: op.reasoning_tokens ?? 0,
        context_window: op.context_window ?? 0,
        response_id: op.response_id ?? "",
        seq,
      };
    case "add_unpriced_call":
      return { ...op, response_id: op.response_id ?? "", seq };
  }
}

/** One conversation's record, fed only valid batches in applied order. */
export class ReferenceConversation {
  readonly #ids = new Set<string>();
  readonly #applied: Applied[] = [];
  readonly #whole = new Scope();
  readonly #bySource = new Map<string, Scope>();
  readonly #byModel = new Map<string, Scope>();

  constructor(
    readonly conversationId: string,
    public budget: number | null = null,
  ) {}

  /** The number of operations applied so far. */
  get seq(): number {
    return this.#applied.length;
  }

  /**
   * Applies a valid batch. An id seen before, in an earlier batch or
   * earlier in this one, is a duplicate and changes nothing.
   */
  applyBatch(operations: readonly OperationInput[]): BatchResult {
    let applied = 0;
    const duplicateIds: string[] = [];

    for (const op of operations) {
      if (this.#ids.has(op.id)) {
        duplicateIds.push(op.id);
        continue;
      }
      this.#ids.add(op.id);
      this.#apply(withDefaults(op, this.#applied.length + 1));
      applied += 1;
    }

    return {
      applied,
      duplicates: duplicateIds.length,
      duplicate_ids: duplicateIds,
      seq: this.seq,
      accumulated_cost: nanosToUsd(this.#whole.costNanos),
    };
  }

  /** The applied operations in order, as the operations log lists them. */
  operations(timestampOf: TimestampOf): Record<string, unknown>[] {
    return this.#applied.map((op) => ({
      ...op,
      timestamp: timestampOf(op.id),
    }));
  }

  /**
   * What `GET /v1/conversations/{id}/metrics` must answer, with the lists
   * of each source and model chosen by `scopeLists`.
   */
  snapshot(
    timestampOf: TimestampOf,
    scopeLists: ScopeLists = "own",
  ): Record<string, unknown> {
    const whole = this.#whole;
    const scopes = (map: Map<string, Scope>, field: "source" | "model") =>
      Object.fromEntries(
        [...map].map(([name, scope]) => {
          const lists =
            scopeLists === "own"
              ? newestLists(scope)
              : shareOf(whole, (op) => op[field] === name);
          const record = scopeSnapshot(scope, lists, timestampOf);
          return [name, { ...record, max_budget_per_task: this.budget }];
        }),
      );

    return {
      ...scopeSnapshot(whole, newestLists(whole), timestampOf),
      // Conventions of the contract, not rules of the model: see above.
      model_name: COMBINED_MODEL_NAME,
      accumulated_token_usage: {
        ...tokenUsage(whole),
        model: COMBINED_MODEL_NAME,
      },
      max_budget_per_task: this.budget,
      conversation_id: this.conversationId,
      seq: this.seq,
      by_source: scopes(this.#bySource, "source"),
      by_model: scopes(this.#byModel, "model"),
    };
  }

  #apply(op: Applied): void {
    this.#applied.push(op);
    this.#whole.add(op);
    scopeOf(this.#bySource, op.source).add(op);
    scopeOf(this.#byModel, op.model).add(op);
  }
}

function scopeOf(map: Map<string, Scope>, name: string): Scope {
  let scope = map.get(name);
  if (!scope) {
    scope = new Scope();
    map.set(name, scope);
  }
  return scope;
}

interface Lists {
  costs: AppliedCost[];
  latencies: AppliedLatency[];
  usages: AppliedUsage[];
}

function newestLists(scope: Scope): Lists {
  return {
    costs: scope.costs.slice(-LIST_LIMIT),
    latencies: scope.latencies.slice(-LIST_LIMIT),
    usages: scope.usages.slice(-LIST_LIMIT),
  };
}

/** A part's entries among the whole conversation's newest entries. */
function shareOf(whole: Scope, keep: (op: Applied) => boolean): Lists {
  const lists = newestLists(whole);
  return {
    costs: lists.costs.filter(keep),
    latencies: lists.latencies.filter(keep),
    usages: lists.usages.filter(keep),
  };
}

function tokenUsage(scope: Scope) {
  const u = scope.usage;
  return {
    model: scope.lastModel,
    prompt_tokens: exactNumber(u.prompt),
    completion_tokens: exactNumber(u.completion),
    cache_read_tokens: exactNumber(u.cacheRead),
    cache_write_tokens: exactNumber(u.cacheWrite),
    reasoning_tokens: exactNumber(u.reasoning),
    context_window: exactNumber(u.contextWindow),
    per_turn_token: exactNumber(scope.perTurn),
    response_id: "",
  };
}

/** One scope's `Metrics.get()` shape, with its count of unpriced calls. */
function scopeSnapshot(
  scope: Scope,
  lists: Lists,
  timestampOf: TimestampOf,
): Record<string, unknown> {
  return {
    accumulated_cost: nanosToUsd(scope.costNanos),
    max_budget_per_task: null,
    accumulated_token_usage: tokenUsage(scope),
    costs: lists.costs.map((op) => costRecord(op, timestampOf)),
    response_latencies: lists.latencies.map(latencyRecord),
    token_usages: lists.usages.map(usageRecord),
    model_name: scope.lastModel,
    unpriced_calls: scope.unpriced,
  };
}

function costRecord(op: AppliedCost, timestampOf: TimestampOf) {
  return {
    model: op.model,
    cost: op.cost,
    timestamp: timestampOf(op.id),
    source: op.source,
  };
}

function latencyRecord(op: AppliedLatency) {
  return {
    model: op.model,
    latency: op.latency,
    response_id: op.response_id,
    source: op.source,
  };
}

function usageRecord(op: AppliedUsage) {
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
