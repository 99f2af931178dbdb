/** How long to wait between attempts. */
export interface BackoffOptions {
  /** The wait after the first failure, before jitter. */
  initialDelayMs: number;
  /** The longest wait, however many failures came before. */
  maxDelayMs: number;
}

/**
 * The wait before retry number `attempt` (0 for the first retry): doubling
 * from `initialDelayMs` up to `maxDelayMs`, then a random point in its upper
 * half, so that many clients failing together do not retry together.
 */
export function backoffDelayMs(
  attempt: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(attempt, 30);
  const ceiling = Math.min(
    options.maxDelayMs,
    options.initialDelayMs * 2 ** exponent,
  );
  return ceiling / 2 + random() * (ceiling / 2);
}

/**
 * Reads a `Retry-After` header given in seconds (the form this service and
 * most proxies send); a date or anything else gives null.
 */
export function retryAfterMs(header: string | null): number | null {
  if (header === null || !/^\d+(\.\d+)?$/.test(header.trim())) return null;
  return Number(header) * 1000;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
