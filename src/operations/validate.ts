import type { z } from "zod";
import {
  MAX_OPERATIONS_PER_BATCH,
  operationBatchSchema,
  type Operation,
} from "./schema.js";

/** Why a request was refused, in words a person understands. */
export interface ValidationFailure {
  ok: false;
  /** `batch_too_large` for too many operations, else `invalid_request`. */
  type: "invalid_request" | "batch_too_large";
  message: string;
}

export type Validated<T> = { ok: true; value: T } | ValidationFailure;

/** Joins a zod issue path as `operations[3].cost`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    out +=
      typeof key === "number"
        ? `[${key}]`
        : out
          ? `.${String(key)}`
          : String(key);
  }
  return out || "body";
}

/** One sentence per problem, the first few only, so a reply stays short. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const where = formatPath(issue.path);
    if (issue.code === "unrecognized_keys") {
      return `${where} has unknown field(s) ${issue.keys.join(", ")}`;
    }
    if (issue.code === "invalid_type" && issue.input === undefined) {
      return `${where} is required`;
    }
    return `${where} ${issue.message}`;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : "";
  const parts = shown.map((part) => part.replace(/\.$/, ""));
  return `${parts.join("; ")}${more}.`;
}

/**
 * Validates `{"operations": [...]}` from HTTP or a socket frame. Nothing is
 * applied unless every operation is valid.
 */
export function validateBatch(body: unknown): Validated<Operation[]> {
  const operations = (body as { operations?: unknown } | null)?.operations;
  if (
    Array.isArray(operations) &&
    operations.length > MAX_OPERATIONS_PER_BATCH
  ) {
    return {
      ok: false,
      type: "batch_too_large",
      message:
        `A batch holds at most ${MAX_OPERATIONS_PER_BATCH} operations; ` +
        `this one has ${operations.length}. Split it into smaller batches.`,
    };
  }

  const parsed = operationBatchSchema.safeParse(body);
  if (!parsed.success) {
    return {
      ok: false,
      type: "invalid_request",
      message: describeIssues(parsed.error.issues),
    };
  }
  return { ok: true, value: parsed.data.operations };
}
