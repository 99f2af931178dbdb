/**
 * Where a call goes: the configured upstream of its wire format, or the
 * built-in simulated upstream when no base URL is set (an offline local
 * run). The upstream's key lives only here and in the request built from
 * it; the client's own Authorization header (its key to THIS service) is
 * never copied across.
 */
import {
  pricingProviderId,
  simulatedUpstream,
  type LlmApi,
} from "../llm/index.js";
import { invalidConfiguration } from "./settings.js";

/** The Messages API version sent when the client names none. */
export const DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

/** A base URL that resolves nowhere, for the simulated upstream's logs. */
const SIMULATED_BASE_URL = "https://simulated-upstream.invalid";

/** One upstream endpoint, ready to call. */
export interface UpstreamTarget {
  api: LlmApi;
  /** The endpoint's full URL. */
  url: string;
  /** Sends a request there: `fetch`, or the simulated upstream. */
  send: (request: Request) => Promise<Response>;
  /** True for the built-in simulated upstream. */
  simulated: boolean;
  /** The genai-prices provider whose prices apply. */
  providerId: string;
  /** The variable that holds the key, for error messages. */
  keyVar: "LLM_API_KEY" | "ANTHROPIC_API_KEY";
  /** The key, to build headers and to scrub from upstream text. */
  key: string | undefined;
}

/**
 * The upstream for calls in the `api` wire format.
 * @throws HttpError 503 invalid_configuration for a base URL that is
 *   not an http(s) URL
 */
export function upstreamTarget(env: Env, api: LlmApi): UpstreamTarget {
  const baseVar = api === "openai" ? "LLM_BASE_URL" : "ANTHROPIC_BASE_URL";
  const keyVar = api === "openai" ? "LLM_API_KEY" : "ANTHROPIC_API_KEY";
  const configured = env[baseVar]?.trim() ?? "";
  const key = env[keyVar]?.trim() || undefined;

  const simulated = configured === "";
  const base = simulated
    ? SIMULATED_BASE_URL
    : checkedBase(baseVar, configured);
  // OpenAI-compatible base URLs end in the version (".../v1"); Anthropic's
  // is the host alone, as its SDKs take it.
  const path = api === "openai" ? "/chat/completions" : "/v1/messages";

  return {
    api,
    url: `${base}${path}`,
    send: simulated ? simulatedUpstream : (request) => fetch(request),
    simulated,
    providerId: pricingProviderId(api, simulated ? undefined : base),
    keyVar,
    key,
  };
}

/**
 * The headers of the upstream request, built from nothing: the key, and
 * the few client headers that change what the upstream does.
 */
export function upstreamHeaders(
  target: UpstreamTarget,
  clientHeaders: Headers,
): Headers {
  const headers = new Headers({
    "content-type": "application/json",
    accept: "application/json, text/event-stream",
  });

  if (target.api === "openai") {
    if (target.key !== undefined) {
      headers.set("authorization", `Bearer ${target.key}`);
    }
    return headers;
  }

  if (target.key !== undefined) headers.set("x-api-key", target.key);
  headers.set(
    "anthropic-version",
    clientHeaders.get("anthropic-version") ?? DEFAULT_ANTHROPIC_VERSION,
  );
  const beta = clientHeaders.get("anthropic-beta");
  if (beta !== null) headers.set("anthropic-beta", beta);
  return headers;
}

function checkedBase(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badBase(name);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw badBase(name);
  }
  return value.replace(/\/+$/, "");
}

function badBase(name: string) {
  return invalidConfiguration(
    `${name} must be an http(s) URL such as https://api.openai.com/v1; ` +
      "unset it to use the simulated upstream.",
  );
}
