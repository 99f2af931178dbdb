/**
 * The response headers that tell a caller what a call cost, for callers
 * that see only HTTP. Amounts are USD as exact decimals (never `1e-7`).
 *
 * - `X-Metrics-Call-Cost`: this call's cost, or `unpriced`; JSON answers
 *   only, since a stream's cost is known after its headers are sent.
 * - `X-Metrics-Conversation-Cost`: the conversation's total after this
 *   call; JSON answers only, and absent if the call could not be recorded.
 * - `X-Metrics-Conversation-Cost-Before`: the total when the call was
 *   admitted; on every answer, so a stream's caller knows where it stood.
 * - `X-Metrics-Call-Reserved`: the worst case held against the budget,
 *   or `unpriced`; the call's cost stays below it unless the upstream
 *   reports its own higher cost or writes past the output limit.
 */
import { NANOS_PER_USD } from "../metrics/money.js";
import type { HeldMoney } from "./call-budget.js";

export const CALL_COST_HEADER = "x-metrics-call-cost";
export const CONVERSATION_COST_HEADER = "x-metrics-conversation-cost";
export const COST_BEFORE_HEADER = "x-metrics-conversation-cost-before";
export const CALL_RESERVED_HEADER = "x-metrics-call-reserved";

/** The value of a cost header for a call that has no price. */
export const UNPRICED = "unpriced";

/** Whole nano-USD as an exact USD decimal: 3250000 -> "0.00325". */
export function formatUsd(nanos: number): string {
  const sign = nanos < 0 ? "-" : "";
  const whole = Math.floor(Math.abs(nanos) / NANOS_PER_USD);
  const fraction = String(Math.abs(nanos) % NANOS_PER_USD)
    .padStart(9, "0")
    .replace(/0+$/, "");
  return `${sign}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** A cost header's value: the amount, or `unpriced` for null. */
export function costHeaderValue(nanos: number | null): string {
  return nanos === null ? UNPRICED : formatUsd(nanos);
}

/** Sets the headers every answer carries: what was held, and the spend. */
export function setAdmissionHeaders(headers: Headers, held: HeldMoney): void {
  headers.set(CALL_RESERVED_HEADER, costHeaderValue(held.reservedNanos));
  headers.set(COST_BEFORE_HEADER, formatUsd(held.spentBeforeNanos));
}
