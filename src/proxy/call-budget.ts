/**
 * A call's money held against the conversation's budget: reserved before
 * the upstream is contacted, then settled with what the call cost (or
 * released when it never ran). Every step talks to the conversation's
 * Durable Object over RPC.
 */
import { conversationStub } from "../api/conversation-id.js";
import { unwrap } from "../api/http-error.js";
import { usdToNanos } from "../metrics/money.js";
import type { Operation } from "../operations/schema.js";

/**
 * How long the object holds a reservation before its alarm lets go,
 * should this Worker die before settling. It must outlast the call: a
 * stream held open longer than this loses its hold on the budget (the
 * call is still recorded when it ends).
 */
export const MIN_RESERVATION_TTL_MS = 15 * 60_000;

/** Waits between settle attempts; op ids make every retry harmless. */
const SETTLE_RETRY_DELAYS_MS = [100, 400];

/** What a granted reservation tells the caller, in nano-USD. */
export interface HeldMoney {
  /** The worst case held; null when the call could not be priced. */
  reservedNanos: number | null;
  /** The conversation's spend when the call was admitted. */
  spentBeforeNanos: number;
}

/** What the call should hold. */
export interface ReserveOptions {
  source: string;
  model: string;
  nanos: number | null;
  /** The upstream timeout; the hold outlasts it. */
  timeoutMs: number;
}

/** One call's reservation in one conversation. */
export class CallBudget {
  /** Also the prefix of the call's operation ids. */
  readonly reservationId = `llm-${crypto.randomUUID()}`;

  constructor(
    private readonly env: Env,
    readonly conversationId: string,
  ) {}

  /**
   * Holds the call's worst case against the budget.
   * @throws HttpError 402 budget_exceeded or budget_unenforceable, with
   *   the object's own message
   */
  async reserve(options: ReserveOptions): Promise<HeldMoney> {
    const grant = unwrap(
      await this.#stub().reserve(this.conversationId, {
        reservationId: this.reservationId,
        source: options.source,
        model: options.model,
        nanos: options.nanos,
        ttlMs: Math.max(MIN_RESERVATION_TTL_MS, 2 * options.timeoutMs),
      }),
    );
    return {
      reservedNanos: options.nanos,
      spentBeforeNanos: usdToNanos(grant.accumulated_cost),
    };
  }

  /**
   * Records the call's operations and lets go of the hold, retrying when
   * the RPC throws (the object restarted or was overloaded).
   * @returns the conversation's total after the call in nano-USD, or null
   *   when it could not be recorded (logged; the alarm frees the hold)
   */
  async settle(ops: Operation[]): Promise<number | null> {
    for (let attempt = 0; ; attempt++) {
      try {
        // A fresh stub each time: a stub that threw may stay broken.
        const stub = this.#stub();
        const outcome = await stub.settle(
          this.conversationId,
          this.reservationId,
          ops,
        );
        if (outcome.ok) {
          return usdToNanos(outcome.value.accumulated_cost);
        }
        this.#log("settle refused", outcome.message);
        await this.release();
        return null;
      } catch (error) {
        const delay = SETTLE_RETRY_DELAYS_MS[attempt];
        if (delay === undefined) {
          this.#log("settle failed", describe(error));
          return null;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Lets go of the hold of a call that never ran; never throws. */
  async release(): Promise<void> {
    try {
      await this.#stub().release(this.reservationId);
    } catch (error) {
      this.#log("release failed", describe(error));
    }
  }

  #stub() {
    return conversationStub(this.env, this.conversationId);
  }

  #log(message: string, error: string): void {
    console.error(
      JSON.stringify({
        message,
        conversationId: this.conversationId,
        reservationId: this.reservationId,
        error,
      }),
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
