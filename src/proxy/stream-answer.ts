/**
 * A call answered as a stream of server-sent events: every chunk goes to
 * the caller the moment it arrives, a copy is metered on the way, and the
 * call is recorded once the stream ends, fails, goes quiet past the
 * timeout or is cancelled by the caller, with whatever was known by then.
 * The record runs in `waitUntil`, after the response has gone, so the
 * stream's headers cannot carry its cost: they carry what was held and the
 * spend before the call; the cost is in the snapshot once recorded.
 *
 * Known gap: the runtime learns that a client left only when the next
 * chunk cannot be written. A client that leaves while the upstream is
 * silent is noticed when the upstream speaks again or at the idle timeout;
 * if that is later than the runtime lets `waitUntil` run after a
 * disconnect (30 s on Cloudflare), the call goes unrecorded and the alarm
 * frees its hold. Listening to `request.signal` (compatibility flag
 * `enable_request_signal`) might close the gap; under wrangler dev it did
 * not fire before a failed write either, so it is not used.
 */
import { meterStream, type StreamMeterResult } from "../llm/index.js";
import type { CallContext } from "./call-context.js";
import { withIdleTimeout } from "./deadline.js";
import { setAdmissionHeaders } from "./metrics-headers.js";
import { recordCall } from "./record-call.js";
import { passedHeaders } from "./response-headers.js";
import { scrub } from "./upstream-errors.js";
import { withErrorTail, type StreamFailure } from "./stream-tail.js";

/** Answers with the upstream's stream, passed through as it arrives. */
export function answerStream(
  ctx: CallContext,
  upstream: Response,
  body: ReadableStream,
): Response {
  let idled = false;
  const guarded = withIdleTimeout(
    body as ReadableStream<Uint8Array>,
    ctx.settings.timeoutMs,
    () => {
      idled = true;
    },
  );
  const { stream, result } = meterStream(guarded, {
    api: ctx.request.api,
    requestedModel: ctx.request.model,
    startedAtMs: ctx.startedAtMs,
  });

  const failure = (ended: StreamMeterResult): StreamFailure =>
    idled
      ? {
          type: "upstream_timeout",
          message:
            `The upstream's stream sent nothing for ` +
            `${ctx.settings.timeoutMs} ms (UPSTREAM_TIMEOUT_MS); what ` +
            "arrived before is recorded.",
        }
      : {
          type: "upstream_error",
          message: scrub(ctx.target, ended.error ?? "The upstream failed."),
        };
  const out = withErrorTail(ctx.request.api, stream, result, failure);

  ctx.waitUntil(
    result.then((ended) =>
      recordCall(ctx, {
        usage: ended.usage,
        latencySeconds: ended.latency_seconds,
        timeToFirstByteSeconds: ended.time_to_first_byte_seconds,
        outcome: ended.outcome,
        upstreamHeaders: upstream.headers,
      }),
    ),
  );

  const headers = passedHeaders(upstream.headers);
  setAdmissionHeaders(headers, ctx.held);
  return new Response(out, {
    status: upstream.status,
    headers,
  });
}
