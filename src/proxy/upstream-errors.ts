/**
 * What the caller is told when the upstream fails before an answer:
 * our error shape, a stable type, and the upstream's own message (with
 * the upstream key scrubbed out, should an upstream echo it).
 *
 * | upstream                       | status   | type                   |
 * |--------------------------------|----------|------------------------|
 * | 401 or 403 (our key refused)   | 502      | `upstream_auth_failed` |
 * | other 4xx                      | the same | `upstream_refused`     |
 * | 5xx, unreachable, not JSON     | 502      | `upstream_error`       |
 * | no answer within the timeout   | 504      | `upstream_timeout`     |
 *
 * An upstream 401/403 is about this service's key, not the caller's:
 * passed on as is, it would tell the caller its own key was wrong.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HttpError } from "../api/http-error.js";
import { asRecord, readString, UpstreamFormatError } from "../llm/index.js";
import { UpstreamTimeoutError } from "./deadline.js";
import type { UpstreamTarget } from "./upstream-target.js";

/** The longest upstream message passed on. */
const MAX_MESSAGE_CHARS = 1000;

/** The error for an upstream that answered with a non-2xx status. */
export function upstreamStatusError(
  target: UpstreamTarget,
  status: number,
  bodyText: string,
): HttpError {
  const detail = scrub(target, upstreamMessage(bodyText));
  if (status === 401 || status === 403) {
    return new HttpError(
      502,
      "upstream_auth_failed",
      `The upstream refused this service's credentials (${status}): ` +
        `${detail} Check ${target.keyVar}.`,
    );
  }
  if (status >= 400 && status < 500) {
    return new HttpError(
      status as ContentfulStatusCode,
      "upstream_refused",
      `The upstream refused the request (${status}): ${detail}`,
    );
  }
  return new HttpError(
    502,
    "upstream_error",
    `The upstream failed (${status}): ${detail}`,
  );
}

/** The error for a call that got no usable answer at all. */
export function upstreamFailure(
  target: UpstreamTarget,
  error: unknown,
): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof UpstreamTimeoutError) {
    return new HttpError(
      504,
      "upstream_timeout",
      `The upstream did not answer within ${error.timeoutMs} ms ` +
        "(UPSTREAM_TIMEOUT_MS); retry later.",
    );
  }
  if (error instanceof UpstreamFormatError) {
    return new HttpError(
      502,
      "upstream_error",
      `The upstream's answer could not be read: ${error.message}`,
    );
  }

  const detail = error instanceof Error ? ` (${error.message})` : "";
  return new HttpError(
    502,
    "upstream_error",
    `The upstream could not be reached${scrub(target, detail)}.`,
  );
}

/** Removes the upstream key from text that may be shown to a caller. */
export function scrub(target: UpstreamTarget, text: string): string {
  const key = target.key;
  return key === undefined ? text : text.replaceAll(key, "[redacted]");
}

/**
 * The message of an error body in either provider's shape (OpenAI
 * `{error: {message}}`, Anthropic `{type: "error", error: {message}}`),
 * or of a plain `{message}` / `{detail}`, or the start of the text.
 */
function upstreamMessage(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }

  const body = asRecord(parsed);
  const message =
    readString(asRecord(body?.error), "message") ??
    readString(body, "error") ??
    readString(body, "message") ??
    readString(body, "detail") ??
    (text.trim() || "no message.");
  return message.slice(0, MAX_MESSAGE_CHARS);
}
