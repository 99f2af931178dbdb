/**
 * A built-in upstream for offline local runs: answers OpenAI chat
 * completions (`.../chat/completions`) and Anthropic messages
 * (`.../messages`) requests, streamed or not, in the real wire formats,
 * as a model named `simulated-<requested model>`. Its answers are
 * deterministic and its calls are priced at SIMULATED_PRICE.
 */
import { asRecord } from "../json-fields.js";
import { anthropicSimulatedResponse } from "./simulated-anthropic.js";
import { planSimulatedCall } from "./simulated-call.js";
import { openAiSimulatedResponse } from "./simulated-openai.js";

type Flavour = "openai" | "anthropic";

/**
 * Answers one request as an upstream would; use it where `fetch` would
 * reach the real upstream.
 *
 * @example
 * const upstream = env.LLM_BASE_URL ? fetch : simulatedUpstream;
 * const response = await upstream(new Request(url, init));
 */
export async function simulatedUpstream(request: Request): Promise<Response> {
  const flavour = flavourOf(new URL(request.url).pathname);
  if (flavour === undefined) {
    return errorResponse(
      "openai",
      404,
      "The simulated upstream serves only /chat/completions and /messages.",
    );
  }
  if (request.method !== "POST") {
    return errorResponse(flavour, 405, "Send the request with POST.");
  }

  const rawBody = await request.text();
  const body = parseObject(rawBody);
  const call = body && planSimulatedCall(body, rawBody);
  if (body === undefined || call === undefined) {
    return errorResponse(
      flavour,
      400,
      "The request must be a JSON object with a model and a messages list.",
    );
  }

  return flavour === "openai"
    ? openAiSimulatedResponse(call, body)
    : anthropicSimulatedResponse(call, body);
}

function flavourOf(path: string): Flavour | undefined {
  if (path.endsWith("/chat/completions")) {
    return "openai";
  }
  return path.endsWith("/messages") ? "anthropic" : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return asRecord(JSON.parse(text));
  } catch {
    return undefined;
  }
}

function errorResponse(
  flavour: Flavour,
  status: number,
  message: string,
): Response {
  const type = status === 404 ? "not_found_error" : "invalid_request_error";
  const body =
    flavour === "openai"
      ? { error: { message, type, param: null, code: null } }
      : { type: "error", error: { type, message } };
  return Response.json(body, { status });
}
