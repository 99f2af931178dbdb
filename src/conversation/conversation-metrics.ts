import { DurableObject } from "cloudflare:workers";
import { ERASED_CLOSE_CODE, LiveFeed } from "../live/live-feed.js";
import type { AppliedOperation } from "../operations/applied.js";
import { usdToNanos } from "../metrics/money.js";
import { notFound, ok, type Outcome } from "./outcome.js";
import { BudgetGate } from "./budget-gate.js";
import { ConversationRecord } from "./record.js";
import type {
  AppliedBatch,
  ConversationInfo,
  IncomingOperation,
  ReserveGrant,
  ReserveRequest,
} from "./record-types.js";
import type { ImportPlan } from "./import.js";
import type { ConversationSnapshot } from "../metrics/snapshot-types.js";

/** A page of the operation history. */
export interface HistoryPage {
  operations: AppliedOperation[];
  /** Pass as `after` for the next page; null when this page is the last. */
  next_after: number | null;
}

/**
 * One conversation's metrics: the only writer of its record. The input gate
 * runs each RPC call whole before the next, and every call's writes commit
 * in one SQLite transaction, so concurrent writers never lose an update and
 * the record is restored exactly from storage after eviction. Every
 * applied batch, whichever way it came, goes to the live feed's sockets.
 */
export class ConversationMetrics extends DurableObject<Env> {
  #parts: Parts | null = null;
  readonly #feed: LiveFeed;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#feed = new LiveFeed({
      ctx,
      record: () => this.#loaded,
      apply: (id, ops) => this.#applyAndPublish(id, ops),
    });
    // Load under the gate so no call sees a half-loaded record; a failure
    // is rethrown by the next call, which retries the load.
    // Async so that a throw while loading becomes a rejection.
    // eslint-disable-next-line @typescript-eslint/require-await -- see above
    void ctx.blockConcurrencyWhile(async () => {
      this.#parts = openParts(ctx.storage);
    });
  }

  get #loaded(): ConversationRecord {
    this.#parts ??= openParts(this.ctx.storage);
    return this.#parts.record;
  }

  get #gate(): BudgetGate {
    this.#parts ??= openParts(this.ctx.storage);
    return this.#parts.gate;
  }

  /** Creates the conversation with an optional budget in USD. */
  create(
    conversationId: string,
    budgetUsd: number | null,
  ): Outcome<ConversationInfo> {
    const nanos = budgetUsd === null ? null : usdToNanos(budgetUsd);
    return this.#loaded.create(conversationId, nanos, nowSeconds());
  }

  /** Applies a validated batch, all or nothing; duplicates change nothing. */
  apply(
    conversationId: string,
    ops: IncomingOperation[],
  ): Outcome<AppliedBatch["result"]> {
    const outcome = this.#applyAndPublish(conversationId, ops);
    if (!outcome.ok) return outcome;
    return ok(outcome.value.result);
  }

  /** Moves saved OpenHands per-service metrics into an empty record. */
  importServices(
    conversationId: string,
    plan: ImportPlan,
  ): Outcome<AppliedBatch["result"]> {
    const record = this.#loaded;
    const outcome = record.importServices(conversationId, plan, nowSeconds());
    if (!outcome.ok) return outcome;
    this.#feed.publish(outcome.value.applied);
    return ok(outcome.value.result);
  }

  /** The full snapshot. */
  snapshot(conversationId: string): Outcome<ConversationSnapshot> {
    const snapshot = this.#loaded.snapshot();
    return snapshot ? ok(snapshot) : notFound(conversationId);
  }

  /** A page of applied operations after `after`, in order. */
  history(
    conversationId: string,
    after: number,
    limit: number,
  ): Outcome<HistoryPage> {
    const record = this.#loaded;
    const operations = record.history(after, limit);
    if (operations === null) return notFound(conversationId);

    const last = operations.at(-1);
    const more = last !== undefined && last.seq < record.seq;
    return ok({ operations, next_after: more ? last.seq : null });
  }

  /** Sets (USD) or clears (null) the budget. */
  setBudget(
    conversationId: string,
    budgetUsd: number | null,
  ): Outcome<ConversationInfo> {
    const nanos = budgetUsd === null ? null : usdToNanos(budgetUsd);
    return this.#loaded.setBudget(conversationId, nanos);
  }

  /** Raises the budget to the current spend plus the original budget. */
  increaseBudget(conversationId: string): Outcome<ConversationInfo> {
    return this.#loaded.increaseBudget(conversationId);
  }

  /**
   * Holds an LLM call's worst-case cost against the budget before the call
   * is forwarded, and arms the alarm that lets go of it should the calling
   * Worker die. Refused with 402 when the budget would be passed.
   */
  async reserve(
    conversationId: string,
    request: ReserveRequest,
  ): Promise<Outcome<ReserveGrant>> {
    const outcome = this.#gate.reserve(conversationId, request, Date.now());
    if (outcome.ok) await this.#armAlarm();
    return outcome;
  }

  /**
   * Records a finished call's operations and lets go of its reservation,
   * in one transaction. Safe to retry: the operations' ids dedupe them.
   */
  settle(
    conversationId: string,
    reservationId: string,
    ops: IncomingOperation[],
  ): Outcome<AppliedBatch["result"]> {
    const outcome = this.#gate.settle(
      conversationId,
      reservationId,
      ops,
      nowSeconds(),
    );
    if (!outcome.ok) return outcome;
    this.#feed.publish(outcome.value.applied);
    return ok(outcome.value.result);
  }

  /** Lets go of a reservation whose call never ran or cost nothing. */
  release(reservationId: string): boolean {
    return this.#gate.release(reservationId);
  }

  /** Releases reservations whose Workers never settled them. */
  override async alarm(): Promise<void> {
    const released = this.#gate.expireReservations(Date.now());
    if (released > 0) {
      console.log(
        JSON.stringify({ message: "reservations expired", released }),
      );
    }
    await this.#armAlarm();
  }

  /** Erases everything stored for the conversation. */
  async erase(conversationId: string): Promise<Outcome<null>> {
    if (!this.#loaded.exists) return notFound(conversationId);

    this.#feed.flush();
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.#parts = openParts(this.ctx.storage);
    this.#feed.closeAll(ERASED_CLOSE_CODE, "conversation erased");
    console.log(
      JSON.stringify({ message: "conversation erased", conversationId }),
    );
    return ok(null);
  }

  /** Opens a live socket; only the Worker calls it (src/live/upgrade.ts). */
  override fetch(request: Request): Response {
    return this.#feed.connect(request);
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer) {
    this.#feed.receive(ws, message);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string) {
    this.#feed.closed(ws, code, reason);
  }

  override webSocketError(ws: WebSocket, error: unknown): void {
    this.#feed.failed(ws, error);
  }

  async #armAlarm(): Promise<void> {
    const next = this.#gate.nextReservationExpiry;
    if (next === null) return;
    const armed = await this.ctx.storage.getAlarm();
    if (armed === null || armed > next) await this.ctx.storage.setAlarm(next);
  }

  #applyAndPublish(
    conversationId: string,
    ops: IncomingOperation[],
  ): Outcome<AppliedBatch> {
    const outcome = this.#loaded.apply(conversationId, ops, nowSeconds());
    if (outcome.ok) this.#feed.publish(outcome.value.applied);
    return outcome;
  }
}

/** The record and the budget gate over one storage. */
interface Parts {
  record: ConversationRecord;
  gate: BudgetGate;
}

function openParts(storage: DurableObjectStorage): Parts {
  const record = new ConversationRecord(storage);
  return { record, gate: new BudgetGate(record, storage) };
}

function nowSeconds(): number {
  return Date.now() / 1000;
}
