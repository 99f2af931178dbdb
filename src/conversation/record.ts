import { MAX_TOTAL_NANOS, nanosToUsd, usdToNanos } from "../metrics/money.js";
import type { Totals } from "../metrics/totals.js";
import type { AppliedOperation } from "../operations/applied.js";
import {
  emptyScopes,
  foldBatch,
  installRows,
  type ScopedTotals,
} from "../metrics/scoped-totals.js";
import { notFound, ok, refuse, type Outcome } from "./outcome.js";
import { RecentLists } from "../metrics/recent-lists.js";
import { SNAPSHOT_LIST_LIMIT } from "../metrics/records.js";
import { buildSnapshot, buildTotals } from "../metrics/snapshot.js";
import type {
  ConversationSnapshot,
  ConversationTotals,
} from "../metrics/snapshot-types.js";
import type { ImportPlan } from "./import.js";
import { migrate } from "./sql-schema.js";
import type {
  AppliedBatch,
  ApplyOptions,
  ConversationInfo,
  IncomingOperation,
} from "./record-types.js";
import { ConversationStore, text } from "./store.js";

/** The state of a conversation that exists. */
interface Live {
  conversationId: string;
  createdAt: number;
  budgetNanos: number | null;
  /** The budget as first set, for "continue" (spend plus this). */
  originalBudgetNanos: number | null;
  seq: number;
  totals: ScopedTotals;
  recent: RecentLists;
}

/**
 * One conversation's metrics record over its SQLite storage. Every method is
 * synchronous, so under the Durable Object's input gate each one runs whole
 * before the next begins; writes of one call share one transaction.
 */
export class ConversationRecord {
  #store: ConversationStore;
  #live: Live | null;

  constructor(private readonly storage: DurableObjectStorage) {
    migrate(storage);
    this.#store = new ConversationStore(storage.sql);
    this.#live = this.#load();
  }

  /** Creates the conversation, with no budget, when it does not exist. */
  createIfAbsent(conversationId: string, now: number): void {
    if (!this.#live) this.#live = this.#createLive(conversationId, null, now);
  }

  /** Whether the conversation exists. */
  get exists(): boolean {
    return this.#live !== null;
  }

  /** The seq of the last applied operation (0 when none or absent). */
  get seq(): number {
    return this.#live?.seq ?? 0;
  }

  /** Creates the conversation; refuses when it exists already. */
  create(
    conversationId: string,
    budgetNanos: number | null,
    now: number,
  ): Outcome<ConversationInfo> {
    if (this.#live) {
      return refuse(
        409,
        "conversation_exists",
        `Conversation "${conversationId}" exists already.`,
      );
    }
    const live = this.#createLive(conversationId, budgetNanos, now);
    return ok(this.#info(live));
  }

  /**
   * Applies a batch in order, all or nothing. Operations whose id was
   * applied before (or earlier in the batch) are duplicates and change
   * nothing. Creates the conversation when absent.
   */
  apply(
    conversationId: string,
    ops: readonly IncomingOperation[],
    now: number,
    options: ApplyOptions = {},
  ): Outcome<AppliedBatch> {
    const live = this.#live;
    const seen = live
      ? this.#store.existingIds(ops.map((op) => op.id))
      : new Set<string>();
    const duplicateIds: string[] = [];
    const fresh: AppliedOperation[] = [];
    let seq = live?.seq ?? 0;

    for (const op of ops) {
      if (seen.has(op.id)) {
        duplicateIds.push(op.id);
        continue;
      }
      seen.add(op.id);
      fresh.push(normalise(op, ++seq, now));
    }

    const current = live?.totals ?? emptyScopes();
    const rows = foldBatch(current, fresh);
    const total = rows.find((row) => row.scope === "all")?.totals;
    if (total && !isExact(total)) {
      return refuse(
        422,
        "total_too_large",
        "This batch would take a conversation total past what is kept " +
          "exactly (about 9 million USD, or 9e15 tokens of one kind); " +
          "nothing was applied.",
      );
    }

    const budget = live?.budgetNanos ?? options.budgetIfUnset ?? null;
    const setBudget = budget !== (live?.budgetNanos ?? null);
    this.storage.transactionSync(() => {
      if (!live) this.#writeCreation(conversationId, budget, now);
      else if (setBudget) this.#writeBudget(budget);
      this.#store.insert(fresh);
      this.#store.saveTotals(rows);
      options.alsoInTransaction?.();
    });

    // Memory changes only after the transaction committed.
    const target = live ?? this.#installNew(conversationId, budget, now);
    target.budgetNanos = budget;
    target.originalBudgetNanos ??= budget;
    installRows(target.totals, rows);
    target.recent.push(fresh);
    target.seq = seq;

    return ok({
      result: {
        applied: fresh.length,
        duplicates: duplicateIds.length,
        duplicate_ids: duplicateIds,
        seq,
        accumulated_cost: nanosToUsd(target.totals.all.costNanos),
      },
      applied: fresh,
    });
  }

  /**
   * Moves saved OpenHands metrics into a conversation that has no
   * operations yet, in one batch; creates the conversation when absent.
   */
  importServices(
    conversationId: string,
    plan: ImportPlan,
    now: number,
  ): Outcome<AppliedBatch> {
    if (this.seq > 0) {
      return refuse(
        409,
        "conversation_not_empty",
        `Conversation "${conversationId}" has operations already; import ` +
          `only into a new or empty conversation.`,
      );
    }
    const budget = plan.budgetUsd === null ? null : usdToNanos(plan.budgetUsd);
    return this.apply(conversationId, plan.operations, now, {
      budgetIfUnset: budget,
    });
  }

  /** The full snapshot, or null when the conversation does not exist. */
  snapshot(): ConversationSnapshot | null {
    const live = this.#live;
    if (!live) return null;
    return buildSnapshot(live.totals, live.recent, this.#context(live));
  }

  /** The totals without lists, or null when absent. */
  totals(): ConversationTotals | null {
    const live = this.#live;
    return live ? buildTotals(live.totals, this.#context(live)) : null;
  }

  /** The combined spend in nano-USD (0 when absent). */
  get spentNanos(): number {
    return this.#live?.totals.all.costNanos ?? 0;
  }

  /** The budget in nano-USD, or null when none is set. */
  get budgetNanos(): number | null {
    return this.#live?.budgetNanos ?? null;
  }

  /** Up to `limit` applied operations after `after`, or null when absent. */
  history(after: number, limit: number): AppliedOperation[] | null {
    return this.#live ? this.#store.history(after, limit) : null;
  }

  /** Sets or clears the budget; it becomes the original budget too. */
  setBudget(
    conversationId: string,
    budgetNanos: number | null,
  ): Outcome<ConversationInfo> {
    const live = this.#live;
    if (!live) return notFound(conversationId);

    this.storage.transactionSync(() => this.#writeBudget(budgetNanos));
    live.budgetNanos = budgetNanos;
    live.originalBudgetNanos = budgetNanos;
    return ok(this.#info(live));
  }

  /**
   * OpenHands' "continue" after the budget was reached: the limit becomes
   * the current spend plus the original budget.
   */
  increaseBudget(conversationId: string): Outcome<ConversationInfo> {
    const live = this.#live;
    if (!live) return notFound(conversationId);
    if (live.originalBudgetNanos === null) {
      return refuse(
        409,
        "no_budget",
        "This conversation has no budget to increase; set one with " +
          "PUT /v1/conversations/{id}/budget.",
      );
    }

    const raised = live.totals.all.costNanos + live.originalBudgetNanos;
    this.#store.writeMeta("budget_nanos", raised);
    live.budgetNanos = raised;
    return ok(this.#info(live));
  }

  #context(live: Live) {
    return {
      conversationId: live.conversationId,
      seq: live.seq,
      budgetNanos: live.budgetNanos,
    };
  }

  #info(live: Live): ConversationInfo {
    return {
      conversation_id: live.conversationId,
      max_budget_per_task:
        live.budgetNanos === null ? null : nanosToUsd(live.budgetNanos),
      created_at: live.createdAt,
    };
  }

  #createLive(id: string, budgetNanos: number | null, now: number): Live {
    this.storage.transactionSync(() =>
      this.#writeCreation(id, budgetNanos, now),
    );
    return this.#installNew(id, budgetNanos, now);
  }

  #writeCreation(id: string, budgetNanos: number | null, now: number): void {
    this.#store.writeMeta("conversation_id", id);
    this.#store.writeMeta("created_at", now);
    this.#writeBudget(budgetNanos);
  }

  #writeBudget(budgetNanos: number | null): void {
    this.#store.writeMeta("budget_nanos", budgetNanos);
    this.#store.writeMeta("original_budget_nanos", budgetNanos);
  }

  #installNew(id: string, budgetNanos: number | null, now: number): Live {
    this.#live = {
      conversationId: id,
      createdAt: now,
      budgetNanos,
      originalBudgetNanos: budgetNanos,
      seq: 0,
      totals: emptyScopes(),
      recent: new RecentLists(),
    };
    return this.#live;
  }

  #load(): Live | null {
    const id = this.#store.readMeta("conversation_id");
    if (id === null) return null;

    const totals = emptyScopes();
    installRows(totals, this.#store.loadTotals());
    return {
      conversationId: text(id),
      createdAt: Number(this.#store.readMeta("created_at")),
      budgetNanos: nullableNumber(this.#store.readMeta("budget_nanos")),
      originalBudgetNanos: nullableNumber(
        this.#store.readMeta("original_budget_nanos"),
      ),
      seq: this.#store.lastSeq(),
      totals,
      recent: new RecentLists(this.#store.loadRecentLists(SNAPSHOT_LIST_LIMIT)),
    };
  }
}

/** Whether every total is below 2^53, where numbers stop being exact. */
function isExact(totals: Totals): boolean {
  const t = totals.tokens;
  return [
    totals.costNanos,
    t.prompt_tokens,
    t.completion_tokens,
    t.cache_read_tokens,
    t.cache_write_tokens,
    t.reasoning_tokens,
  ].every((n) => n <= MAX_TOTAL_NANOS);
}

function nullableNumber(value: SqlStorageValue): number | null {
  return value === null ? null : Number(value);
}

/** Gives an operation its seq and time; a latency below 0 becomes 0. */
function normalise(
  op: IncomingOperation,
  seq: number,
  now: number,
): AppliedOperation {
  const timestamp = op.timestamp ?? now;
  if (op.type === "add_response_latency") {
    return { ...op, latency: Math.max(0, op.latency), seq, timestamp };
  }
  if (op.type === "add_cost") {
    // Stored as nano-USD; report the cost as the stored amount.
    const cost = nanosToUsd(usdToNanos(op.cost));
    return { ...op, cost, seq, timestamp };
  }
  return { ...op, seq, timestamp };
}
