/**
 * Small statistics over samples in milliseconds, and number formatting for
 * the results tables.
 */

/**
 * The q-quantile (0..1) of `samples` by the nearest-rank method; NaN when
 * there are none.
 * @param {number[]} samples
 * @param {number} q
 */
export function quantile(samples, q) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

/** @param {number[]} samples */
export function median(samples) {
  return quantile(samples, 0.5);
}

/**
 * A number with `digits` significant digits and thousands separators.
 * @param {number} value
 * @param {number} [digits]
 */
export function fmt(value, digits = 3) {
  if (!Number.isFinite(value)) return "n/a";
  const magnitude = Math.floor(Math.log10(Math.abs(value) || 1)) + 1;
  const decimals = Math.max(0, Math.min(4, digits - magnitude));
  return value.toLocaleString("en-US", {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}

/**
 * A ratio such as "0.87x".
 * @param {number} value
 */
export function ratio(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : "n/a";
}

/**
 * A duration in ms with sensible precision.
 * @param {number} ms
 */
export function ms(ms) {
  return Number.isFinite(ms) ? `${fmt(ms, 3)} ms` : "n/a";
}

/**
 * A whole count with thousands separators.
 * @param {number} n
 */
export function count(n) {
  return Math.round(n).toLocaleString("en-US");
}
