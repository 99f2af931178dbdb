/**
 * Tolerant readers for upstream JSON. Upstreams differ in which fields they
 * send, so a missing or mistyped field reads as absent rather than failing
 * the whole call.
 */
import { UpstreamFormatError } from "./errors.js";

/** A JSON object, or undefined when the value is anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return undefined;
  }
  return value as Record<string, unknown>;
}

/** A non-negative whole token count, or 0 when absent or not a count. */
export function readCount(
  record: Record<string, unknown> | undefined,
  key: string,
): number {
  const value = record?.[key];
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    return 0;
  }
  return Math.floor(value);
}

/** A non-empty string, or undefined. */
export function readString(
  record: Record<string, unknown> | undefined,
  key: string,
): string | undefined {
  const value = record?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A finite, non-negative USD amount, or undefined. */
export function readUsd(
  record: Record<string, unknown> | undefined,
  key: string,
): number | undefined {
  const value = record?.[key];
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    return undefined;
  }
  return value;
}

/**
 * Parses an upstream's response text as a JSON object.
 *
 * @throws UpstreamFormatError when the text is not a JSON object.
 */
export function parseUpstreamJson(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UpstreamFormatError("The upstream's response is not JSON.");
  }

  const record = asRecord(parsed);
  if (record === undefined) {
    throw new UpstreamFormatError(
      "The upstream's response is JSON but not an object.",
    );
  }
  return record;
}
