/**
 * A call answered in one piece: the upstream's JSON is read whole (within
 * the deadline), metered, recorded, and passed on unchanged with the
 * call's cost and the conversation's new total in headers.
 */
import {
  unreportedUsage,
  usageFromResponseText,
  type CallUsage,
} from "../llm/index.js";
import type { CallContext } from "./call-context.js";
import type { Deadline } from "./deadline.js";
import {
  CALL_COST_HEADER,
  CONVERSATION_COST_HEADER,
  costHeaderValue,
  formatUsd,
  setAdmissionHeaders,
} from "./metrics-headers.js";
import { recordCall } from "./record-call.js";
import { passedHeaders } from "./response-headers.js";
import { upstreamFailure } from "./upstream-errors.js";

/**
 * Answers with the upstream's JSON body.
 * @throws HttpError 502/504 when the body cannot be read or parsed; the
 *   call is then recorded as unpriced, since the upstream did answer
 */
export async function answerJson(
  ctx: CallContext,
  upstream: Response,
  deadline: Deadline,
): Promise<Response> {
  let text: string;
  let usage: CallUsage;
  try {
    text = await deadline.race(upstream.text());
    usage = usageFromResponseText(ctx.request.api, text, ctx.request.model);
  } catch (error) {
    await record(ctx, upstream, unreportedUsage(ctx.request.model), "failed");
    throw upstreamFailure(ctx.target, error);
  } finally {
    deadline.clear();
  }

  const recorded = await record(ctx, upstream, usage, "completed");
  const headers = passedHeaders(upstream.headers);
  setAdmissionHeaders(headers, ctx.held);
  headers.set(CALL_COST_HEADER, costHeaderValue(recorded.costNanos));
  if (recorded.totalNanos !== null) {
    headers.set(CONVERSATION_COST_HEADER, formatUsd(recorded.totalNanos));
  }
  return new Response(text, { status: upstream.status, headers });
}

function record(
  ctx: CallContext,
  upstream: Response,
  usage: CallUsage,
  outcome: string,
) {
  return recordCall(ctx, {
    usage,
    latencySeconds: (Date.now() - ctx.startedAtMs) / 1000,
    outcome,
    upstreamHeaders: upstream.headers,
  });
}
