import { nanosToText } from "./decimal.js";
import type { Random } from "./random.js";
import type { OperationInput } from "./wire.js";

/** The named sources, and one that no one names in advance. */
export const SOURCES = [
  "agent",
  "condenser",
  "draft_editor",
  "title_generator",
  "custom.tool-1",
] as const;

/** Models, including a long name and one in another script. */
export const MODELS = [
  "gpt-4o",
  "anthropic/claude-sonnet-4-5",
  "o3-mini",
  "модель-β",
  `very-long-${"x".repeat(200)}`,
] as const;

/** Sources and models weighted towards one, so its lists pass 500. */
export interface Mix {
  heavySourceWeight: number;
  heavyModelWeight: number;
}

/**
 * A cost in USD whose JSON text rounds to a nano-USD without a tie: mostly
 * whole nano-USD (exact), sometimes 12 decimals well clear of a half, now
 * and then zero or a large amount.
 */
export function randomCost(rng: Random): number {
  const kind = rng.weighted([
    [60, "nanos"],
    [20, "fine"],
    [8, "zero"],
    [7, "micro"],
    [5, "large"],
  ] as const);

  if (kind === "zero") return 0;
  if (kind === "micro") return 0.000001;
  if (kind === "large") {
    return Number(nanosToText(BigInt(rng.int(1, 20_000)) * 1_000_000_007n));
  }

  const nanos = BigInt(rng.int(0, 50_000_000));
  if (kind === "nanos") return Number(nanosToText(nanos));

  // Three digits past the nano, never within 50 of a half.
  const sub = rng.chance(0.5) ? rng.int(1, 449) : rng.int(551, 999);
  const pico = (nanos * 1000n + BigInt(sub)).toString().padStart(13, "0");
  return Number(`${pico.slice(0, -12)}.${pico.slice(-12)}`);
}

/** A latency in seconds; a tenth of them negative (clamped to 0). */
export function randomLatency(rng: Random): number {
  const kind = rng.weighted([
    [70, "plain"],
    [10, "negative"],
    [10, "awkward"],
    [10, "zero"],
  ] as const);

  if (kind === "negative") return -rng.next() * 5;
  if (kind === "awkward") return 0.1 + 0.2;
  if (kind === "zero") return 0;
  return rng.next() * 30;
}

function pickSource(rng: Random, mix: Mix): string {
  return rng.chance(mix.heavySourceWeight) ? "agent" : rng.pick(SOURCES);
}

function pickModel(rng: Random, mix: Mix): string {
  return rng.chance(mix.heavyModelWeight) ? "gpt-4o" : rng.pick(MODELS);
}

/** A response id, or none (so the service's default "" is exercised). */
function responseId(rng: Random): { response_id?: string } {
  return rng.chance(0.7) ? { response_id: `resp-${rng.int(1, 1e9)}` } : {};
}

/** An optional token counter: left out a quarter of the time. */
function optional(rng: Random, name: string, max: number) {
  return rng.chance(0.25) ? {} : { [name]: rng.int(0, max) };
}

/** The operation types, as their `type` field names them. */
export type OperationType = OperationInput["type"];

/** A valid operation with the given id, of `type` or a random type. */
export function randomOperation(
  rng: Random,
  id: string,
  mix: Mix,
  forcedType?: OperationType,
): OperationInput {
  const base = { id, source: pickSource(rng, mix), model: pickModel(rng, mix) };
  const type =
    forcedType ??
    rng.weighted([
      [40, "add_cost"],
      [28, "add_response_latency"],
      [27, "add_token_usage"],
      [5, "add_unpriced_call"],
    ] as const);

  switch (type) {
    case "add_cost":
      return { ...base, type, cost: randomCost(rng) };
    case "add_response_latency":
      return { ...base, type, latency: randomLatency(rng), ...responseId(rng) };
    case "add_unpriced_call":
      return { ...base, type, ...responseId(rng) };
    case "add_token_usage":
      return {
        ...base,
        type,
        prompt_tokens: rng.int(0, 200_000),
        completion_tokens: rng.int(0, 8_000),
        ...optional(rng, "cache_read_tokens", 100_000),
        ...optional(rng, "cache_write_tokens", 20_000),
        ...optional(rng, "reasoning_tokens", 4_000),
        ...optional(rng, "context_window", 1_000_000),
        ...responseId(rng),
      };
  }
}
