import type { z } from "zod";
import { describeIssues } from "../operations/validate.js";
import { HttpError } from "./http-error.js";

/**
 * Parses `input` with `schema`.
 * @throws HttpError 422 invalid_request naming each problem
 */
export function parseOrThrow<T extends z.ZodType>(
  schema: T,
  input: unknown,
): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new HttpError(
    422,
    "invalid_request",
    describeIssues(parsed.error.issues),
  );
}
