/**
 * The client's side of one call: who makes it (the source), what it asks
 * for, and the body to forward. Checked before any money is held, so a
 * bad request costs nothing and reaches no upstream.
 */
import type { Context } from "hono";
import { HttpError } from "../api/http-error.js";
import { readJson } from "../api/read-json.js";
import {
  asRecord,
  requestedMaxOutputTokens,
  withStreamUsage,
  type LlmApi,
} from "../llm/index.js";
import { addCostSchema } from "../operations/schema.js";

/** The header that names the LLM user; `agent` when absent. */
export const SOURCE_HEADER = "x-metrics-source";

/** The source of a call that names none. */
export const DEFAULT_SOURCE = "agent";

/**
 * The largest call body: long agent conversations with images run to
 * several MiB; one MiB, the limit of the metrics routes, would refuse them.
 */
export const MAX_CALL_BODY_BYTES = 16 * 1024 * 1024;

const encoder = new TextEncoder();

/** One call as the client asked for it, ready to forward. */
export interface CallRequest {
  api: LlmApi;
  source: string;
  /** The model the client asked for. */
  model: string;
  stream: boolean;
  /** The body to forward (with usage asked for, for OpenAI streams). */
  bodyText: string;
  bodyBytes: number;
  /** The request's output limit; undefined when it sets none. */
  maxOutputTokens: number | undefined;
  /** Whether the proxy asked for stream usage the client did not. */
  usageAdded: boolean;
}

/**
 * Reads and checks a call.
 * @throws HttpError 400 invalid_json, 413 payload_too_large,
 *   422 invalid_request (no model, a bad source)
 */
export async function readCallRequest(
  c: Context,
  api: LlmApi,
): Promise<CallRequest> {
  const source = checkSource(c.req.header(SOURCE_HEADER));
  const parsed = await readJson(c, { maxBytes: MAX_CALL_BODY_BYTES });
  const body = asRecord(parsed);
  if (body === undefined) {
    throw invalid("The body must be a JSON object: the model's request.");
  }

  const model = body.model;
  if (typeof model !== "string" || model === "" || model.length > 256) {
    throw invalid("model is required: a string of 1 to 256 characters.");
  }

  const forwarded = api === "openai" ? withStreamUsage(body) : undefined;
  const bodyText = JSON.stringify(forwarded?.body ?? body);
  return {
    api,
    source,
    model,
    stream: body.stream === true,
    bodyText,
    bodyBytes: encoder.encode(bodyText).byteLength,
    maxOutputTokens: requestedMaxOutputTokens(api, body),
    usageAdded: forwarded?.added ?? false,
  };
}

function checkSource(header: string | undefined): string {
  if (header === undefined) return DEFAULT_SOURCE;

  // The same rule as an operation's `source`, so the two never disagree.
  const parsed = addCostSchema.shape.source.safeParse(header);
  if (!parsed.success) {
    throw invalid(
      "X-Metrics-Source must be 1 to 64 letters, digits or _ . : - " +
        '(for example "condenser"); leave it out for "agent".',
    );
  }
  return parsed.data;
}

function invalid(message: string): HttpError {
  return new HttpError(422, "invalid_request", message);
}
