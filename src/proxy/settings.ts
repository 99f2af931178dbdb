/**
 * The proxy's settings that hold for every upstream: per-model price
 * overrides and the upstream timeout. Each variable is parsed once per
 * isolate for each value it takes, so a bad value costs one parse, not one
 * per request, and a changed value (a new deploy, a test's own env) is
 * read afresh. A bad value refuses every call with 503
 * `invalid_configuration` naming the variable, before any money is held
 * or any upstream is contacted: a call priced by a half-read table would
 * be recorded wrongly for good.
 */
import { HttpError } from "../api/http-error.js";
import {
  parsePriceOverrides,
  PriceOverridesError,
  type PriceOverrides,
} from "../llm/index.js";

/** Five minutes: a long non-streamed answer from a reasoning model fits. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 300_000;

/** An hour; beyond that a reservation's lifetime would be unbounded. */
export const MAX_UPSTREAM_TIMEOUT_MS = 3_600_000;

/** What every call of the proxy needs from configuration. */
export interface ProxySettings {
  overrides: PriceOverrides;
  /** See UPSTREAM_TIMEOUT_MS in proxy-env.d.ts. */
  timeoutMs: number;
}

/** The last value of PRICE_OVERRIDES seen, and what it parsed to. */
let lastOverrides:
  { raw: unknown; parsed: PriceOverrides | HttpError } | undefined;

/**
 * Reads the proxy's settings from the environment.
 * @throws HttpError 503 invalid_configuration naming the variable
 */
export function proxySettings(env: Env): ProxySettings {
  return {
    overrides: priceOverrides(env.PRICE_OVERRIDES),
    timeoutMs: upstreamTimeoutMs(env.UPSTREAM_TIMEOUT_MS),
  };
}

function priceOverrides(raw: unknown): PriceOverrides {
  let cached = lastOverrides;
  if (cached === undefined || cached.raw !== raw) {
    cached = { raw, parsed: parseOrError(raw) };
    lastOverrides = cached;
  }

  if (cached.parsed instanceof HttpError) throw cached.parsed;
  return cached.parsed;
}

function parseOrError(raw: unknown): PriceOverrides | HttpError {
  try {
    return parsePriceOverrides(raw);
  } catch (error) {
    if (!(error instanceof PriceOverridesError)) throw error;
    return invalidConfiguration(
      `${error.message} Fix the variable and deploy again; until then ` +
        "no LLM call is made.",
    );
  }
}

function upstreamTimeoutMs(raw: unknown): number {
  if (raw === undefined || raw === "") return DEFAULT_UPSTREAM_TIMEOUT_MS;

  const ms =
    typeof raw === "number"
      ? raw
      : typeof raw === "string"
        ? Number(raw.trim())
        : Number.NaN;
  if (!Number.isInteger(ms) || ms < 1 || ms > MAX_UPSTREAM_TIMEOUT_MS) {
    throw invalidConfiguration(
      `UPSTREAM_TIMEOUT_MS must be a whole number of milliseconds from 1 ` +
        `to ${MAX_UPSTREAM_TIMEOUT_MS}; unset it for the default of ` +
        `${DEFAULT_UPSTREAM_TIMEOUT_MS}.`,
    );
  }
  return ms;
}

/** The error for a variable an operator must fix. */
export function invalidConfiguration(message: string): HttpError {
  return new HttpError(503, "invalid_configuration", message);
}
