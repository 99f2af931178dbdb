import { nanosToUsd } from "../metrics/money.js";
import { ok, refuse, type Outcome } from "./outcome.js";
import type { ConversationRecord } from "./record.js";
import type {
  AppliedBatch,
  IncomingOperation,
  ReserveGrant,
  ReserveRequest,
} from "./record-types.js";
import { Reservations } from "./reservations.js";

/**
 * The budget check of LLM calls: money held for calls in flight, next to
 * the record that holds what was spent. Synchronous like the record, so
 * the input gate runs each check whole.
 */
export class BudgetGate {
  #reservations: Reservations;

  constructor(
    private readonly record: ConversationRecord,
    private readonly storage: DurableObjectStorage,
  ) {
    this.#reservations = new Reservations(storage.sql);
  }

  /**
   * Holds a call's worst-case cost against the budget before the call is
   * made. Refused when spent plus what calls in flight hold plus this call
   * would pass the budget, so concurrent calls cannot overshoot it by more
   * than their own reservations. Creates the conversation when absent.
   */
  reserve(
    conversationId: string,
    request: ReserveRequest,
    nowMs: number,
  ): Outcome<ReserveGrant> {
    const budget = this.record.budgetNanos;
    const spent = this.record.spentNanos;
    const held = this.#reservations.totalNanos;

    if (budget !== null && request.nanos === null) {
      return refuse(
        402,
        "budget_unenforceable",
        `Conversation "${conversationId}" has a budget, and model ` +
          `"${request.model}" has no known price, so the call cannot be ` +
          `held against it. Add the model to PRICE_OVERRIDES or clear ` +
          `the budget.`,
      );
    }
    const nanos = request.nanos ?? 0;
    if (budget !== null && (spent >= budget || spent + held + nanos > budget)) {
      return refuse(
        402,
        "budget_exceeded",
        `The call could cost up to ${nanosToUsd(nanos)} USD; the ` +
          `conversation has spent ${nanosToUsd(spent)} USD and calls in ` +
          `flight hold ${nanosToUsd(held)} USD of its budget of ` +
          `${nanosToUsd(budget)} USD. Raise the budget to continue.`,
      );
    }

    const expiresAt = nowMs + request.ttlMs;
    this.record.createIfAbsent(conversationId, nowMs / 1000);
    this.storage.transactionSync(() => {
      this.#reservations.hold({
        id: request.reservationId,
        nanos,
        expiresAt,
        source: request.source,
        model: request.model,
      });
    });

    return ok({
      reservation_id: request.reservationId,
      reserved: nanosToUsd(nanos),
      accumulated_cost: nanosToUsd(spent),
      max_budget_per_task: budget === null ? null : nanosToUsd(budget),
      reserved_total: nanosToUsd(this.#reservations.totalNanos),
      expires_at: expiresAt,
    });
  }

  /**
   * Records a finished call and lets go of its reservation in the same
   * transaction. A reservation the alarm already released changes
   * nothing: the operations still apply once, by their ids.
   */
  settle(
    conversationId: string,
    reservationId: string,
    ops: readonly IncomingOperation[],
    now: number,
  ): Outcome<AppliedBatch> {
    return this.record.apply(conversationId, ops, now, {
      alsoInTransaction: () => this.#reservations.release(reservationId),
    });
  }

  /** Lets go of a reservation whose call failed before any cost. */
  release(reservationId: string): boolean {
    let released = false;
    this.storage.transactionSync(() => {
      released = this.#reservations.release(reservationId);
    });
    return released;
  }

  /** Releases reservations whose callers never settled them. */
  expireReservations(nowMs: number): number {
    let count = 0;
    this.storage.transactionSync(() => {
      count = this.#reservations.expire(nowMs).length;
    });
    return count;
  }

  /** When the next reservation lapses (epoch ms), or null. */
  get nextReservationExpiry(): number | null {
    return this.#reservations.nextExpiry();
  }
}
