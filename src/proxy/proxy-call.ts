/**
 * One metered LLM call, start to end:
 * 1. read the request and the configuration (a bad one costs nothing);
 * 2. hold the call's worst-case cost against the conversation's budget
 *    (refused: 402, and the upstream is never contacted);
 * 3. forward it with this service's upstream key;
 * 4. pass the answer on, JSON or stream, and record what it cost.
 * A call that fails before the upstream answers lets go of its hold; one
 * the upstream answered (2xx) is always recorded, unpriced when nothing
 * about its usage could be read, never as free.
 */
import type { Context } from "hono";
import { checkConversationId } from "../api/conversation-id.js";
import {
  estimateWorstCaseCostNanos,
  simulatedModelName,
  type LlmApi,
} from "../llm/index.js";
import { CallBudget } from "./call-budget.js";
import type { CallContext } from "./call-context.js";
import { cleanName } from "./call-operations.js";
import { readCallRequest, type CallRequest } from "./call-request.js";
import { Deadline } from "./deadline.js";
import { answerJson } from "./json-answer.js";
import { isEventStream } from "./response-headers.js";
import { proxySettings, type ProxySettings } from "./settings.js";
import { answerStream } from "./stream-answer.js";
import { upstreamFailure, upstreamStatusError } from "./upstream-errors.js";
import {
  upstreamHeaders,
  upstreamTarget,
  type UpstreamTarget,
} from "./upstream-target.js";

/**
 * Runs one call for the conversation in the path.
 * @throws HttpError for a bad request, a refused budget, bad
 *   configuration or an upstream that failed before answering
 */
export async function proxyCall(
  c: Context<{ Bindings: Env }>,
  api: LlmApi,
): Promise<Response> {
  const conversationId = checkConversationId(c.req.param("id") ?? "");
  const settings = proxySettings(c.env);
  const target = upstreamTarget(c.env, api);
  const request = await readCallRequest(c, api);

  const budget = new CallBudget(c.env, conversationId);
  const held = await budget.reserve({
    source: request.source,
    model: cleanName(request.model),
    nanos: worstCaseNanos(request, target, settings),
    timeoutMs: settings.timeoutMs,
  });

  const deadline = new Deadline(settings.timeoutMs);
  const ctx: CallContext = {
    request,
    target,
    settings,
    budget,
    held,
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    startedAtMs: Date.now(),
  };
  const upstream = await send(ctx, c.req.raw.headers, deadline);

  if (!upstream.ok) return refusal(ctx, upstream, deadline);
  if (isEventStream(upstream) && upstream.body !== null) {
    deadline.clear();
    return answerStream(ctx, upstream, upstream.body);
  }
  return answerJson(ctx, upstream, deadline);
}

/** The most the call can cost at the prices it will be charged at. */
function worstCaseNanos(
  request: CallRequest,
  target: UpstreamTarget,
  settings: ProxySettings,
): number | null {
  // The simulated upstream answers as simulated-<model>, at its own rate.
  const model = target.simulated
    ? simulatedModelName(request.model)
    : request.model;
  return estimateWorstCaseCostNanos(
    {
      model,
      bodyBytes: request.bodyBytes,
      maxOutputTokens: request.maxOutputTokens,
    },
    { overrides: settings.overrides, providerId: target.providerId },
  );
}

/** Sends the call upstream; a failure lets go of the hold. */
async function send(
  ctx: CallContext,
  clientHeaders: Headers,
  deadline: Deadline,
): Promise<Response> {
  const upstreamRequest = new Request(ctx.target.url, {
    method: "POST",
    headers: upstreamHeaders(ctx.target, clientHeaders),
    body: ctx.request.bodyText,
    signal: deadline.signal,
    // A redirect would carry the key to wherever it points; LLM APIs do
    // not redirect calls, so one is reported as an upstream error.
    redirect: "manual",
  });

  try {
    return await deadline.race(ctx.target.send(upstreamRequest));
  } catch (error) {
    deadline.clear();
    await ctx.budget.release();
    const failure = upstreamFailure(ctx.target, error);
    logFailure(ctx, failure.type);
    throw failure;
  }
}

/** The upstream said no: let go of the hold and say why. */
async function refusal(
  ctx: CallContext,
  upstream: Response,
  deadline: Deadline,
): Promise<Response> {
  const text = await deadline.race(upstream.text()).catch(() => "");
  deadline.clear();
  await ctx.budget.release();

  const error = upstreamStatusError(ctx.target, upstream.status, text);
  logFailure(ctx, error.type, upstream.status);
  const headers = new Headers();
  const retryAfter = upstream.headers.get("retry-after");
  if (retryAfter !== null) headers.set("retry-after", retryAfter);
  return Response.json(error.toBody(), { status: error.status, headers });
}

function logFailure(ctx: CallContext, type: string, status?: number): void {
  console.log(
    JSON.stringify({
      message: "llm call failed",
      conversationId: ctx.budget.conversationId,
      reservationId: ctx.budget.reservationId,
      api: ctx.request.api,
      source: ctx.request.source,
      requestedModel: ctx.request.model,
      type,
      upstreamStatus: status ?? null,
    }),
  );
}
