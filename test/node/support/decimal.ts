/**
 * Exact money for the reference model: USD as BigInt nano-USD (1e-9 USD),
 * parsed from the decimal text a JSON number is written as. Written apart
 * from src/ on purpose, so that a mistake there shows up here.
 */

const NANO_DIGITS = 9;
const DECIMAL = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/**
 * The nearest nano-USD to a non-negative decimal text such as "0.05",
 * "1e-7" or "12.3456789012"; an exact half rounds up.
 * @throws RangeError for text that is not a non-negative decimal
 */
export function usdTextToNanos(text: string): bigint {
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`not a non-negative decimal: ${text}`);

  const whole = match[1] ?? "0";
  const fraction = match[2] ?? "";
  const exponent = Number(match[3] ?? "0");
  const digits = BigInt(whole + fraction);
  const shift = exponent - fraction.length + NANO_DIGITS;
  if (shift >= 0) return digits * 10n ** BigInt(shift);

  const divisor = 10n ** BigInt(-shift);
  const quotient = digits / divisor;
  const remainder = digits % divisor;
  return remainder * 2n >= divisor ? quotient + 1n : quotient;
}

/** The nearest nano-USD to a JSON number, as JSON would write it. */
export function usdToNanos(usd: number): bigint {
  return usdTextToNanos(JSON.stringify(usd));
}

/** Nano-USD as exact decimal text: 60000000n is "0.060000000". */
export function nanosToText(nanos: bigint): string {
  const sign = nanos < 0n ? "-" : "";
  const abs = nanos < 0n ? -nanos : nanos;
  const whole = abs / 10n ** BigInt(NANO_DIGITS);
  const fraction = abs % 10n ** BigInt(NANO_DIGITS);
  return `${sign}${whole}.${fraction.toString().padStart(NANO_DIGITS, "0")}`;
}

/**
 * Nano-USD as the JSON number a service must report: the double nearest
 * the exact decimal value.
 */
export function nanosToUsd(nanos: bigint): number {
  return Number(nanosToText(nanos));
}

/** A BigInt counter as a number, refusing to lose precision. */
export function exactNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${value} does not fit a number exactly`);
  }
  return Number(value);
}
