/**
 * Which upstream response headers reach the caller: the body's type and
 * the ones a client acts on (request ids for support, rate limits and
 * retry-after for back-off). Everything else stays behind, so nothing the
 * upstream sets for this service (cookies, its account's details) leaks.
 */

const PASSED = new Set([
  "content-type",
  "cache-control",
  "retry-after",
  "x-request-id",
  "request-id",
]);

const PASSED_PREFIXES = ["x-ratelimit-", "anthropic-ratelimit-"];

/** The upstream headers the caller may see. */
export function passedHeaders(upstream: Headers): Headers {
  const headers = new Headers();
  for (const [name, value] of upstream) {
    const passed =
      PASSED.has(name) ||
      PASSED_PREFIXES.some((prefix) => name.startsWith(prefix));
    if (passed) headers.set(name, value);
  }
  return headers;
}

/** Whether the upstream answered with a stream of server-sent events. */
export function isEventStream(upstream: Response): boolean {
  const type = upstream.headers.get("content-type") ?? "";
  return type.toLowerCase().startsWith("text/event-stream");
}
