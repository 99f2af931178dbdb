/**
 * Money is kept as integer nano-USD (1e-9 USD) so that long sums stay exact:
 * a million costs of 0.000001 USD add up to exactly 1 USD. Integers below
 * 2^53 are exact in a JavaScript number, which bounds one total at about
 * nine million USD; MAX_TOTAL_NANOS guards that bound.
 */
export const NANOS_PER_USD = 1_000_000_000;

/** The largest total (nano-USD or tokens) a JavaScript number holds exactly. */
export const MAX_TOTAL_NANOS = Number.MAX_SAFE_INTEGER;

/** Converts USD to nano-USD, rounding to the nearest nano-USD. */
export function usdToNanos(usd: number): number {
  return Math.round(usd * NANOS_PER_USD);
}

/**
 * Converts nano-USD back to USD. Dividing two exact integers gives the
 * double nearest the decimal value, so 60_000_000 prints as 0.06.
 */
export function nanosToUsd(nanos: number): number {
  return nanos / NANOS_PER_USD;
}
