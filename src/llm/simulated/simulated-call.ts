/**
 * What the simulated upstream answers, decided from the request alone so
 * that the same request always gets the same answer: text derived from the
 * last user message, and token counts at about four characters a token,
 * the usual rule of thumb for English text.
 */
import { asRecord, readCount, readString } from "../json-fields.js";
import { simulatedModelName } from "./simulated-model.js";

/** Characters per token, for counting the simulated prompt and reply. */
export const SIMULATED_CHARS_PER_TOKEN = 4;

/** Tokens a chat template adds around each message (role, separators). */
const TOKENS_PER_MESSAGE = 3;

/** One simulated call, ready to render in either wire format. */
export interface SimulatedCall {
  /** `simulated-<requested model>`. */
  model: string;
  /** A stable id derived from the request body. */
  idSuffix: string;
  /** The reply, cut to the request's output limit. */
  text: string;
  promptTokens: number;
  completionTokens: number;
  /** Whether the output limit cut the reply short. */
  truncated: boolean;
}

/**
 * Plans the answer to a chat request of either format.
 *
 * @param body the parsed request; `messages` and `model` are required.
 * @param rawBody the request text, hashed into a stable response id.
 * @returns undefined when the request has no model or no messages.
 */
export function planSimulatedCall(
  body: Record<string, unknown>,
  rawBody: string,
): SimulatedCall | undefined {
  const requestedModel = readString(body, "model");
  const messages = body.messages;
  if (requestedModel === undefined || !Array.isArray(messages)) {
    return undefined;
  }

  const fullReply = replyTo(lastUserText(messages));
  const limit = outputLimit(body);
  const fullTokens = tokensOf(fullReply);
  const truncated = limit !== undefined && fullTokens > limit;
  const text = truncated
    ? fullReply.slice(0, limit * SIMULATED_CHARS_PER_TOKEN)
    : fullReply;

  return {
    model: simulatedModelName(requestedModel),
    idSuffix: hashHex(rawBody),
    text,
    promptTokens: promptTokensOf(body, messages),
    completionTokens: truncated ? limit : fullTokens,
    truncated,
  };
}

/** The text the model would have been asked to answer. */
function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = asRecord(messages[i]);
    if (readString(message, "role") === "user") {
      return textOf(message?.content);
    }
  }
  return "";
}

function replyTo(userText: string): string {
  const words = userText.split(/\s+/).filter((word) => word !== "");
  const excerpt = words.slice(0, 12).join(" ");
  const topic = excerpt === "" ? "an empty message" : `"${excerpt}"`;
  const closing =
    CLOSINGS[Number.parseInt(hashHex(userText), 16) % CLOSINGS.length] ?? "";

  return (
    `This is a simulated reply; no language model was called. ` +
    `Your message had ${words.length} words and began with ${topic}. ` +
    `${closing}`
  );
}

const CLOSINGS = [
  "Set LLM_BASE_URL to reach a real model.",
  "The token counts are estimates at four characters a token.",
  "Costs are charged at the documented simulated rate.",
];

function outputLimit(body: Record<string, unknown>): number | undefined {
  for (const key of ["max_completion_tokens", "max_tokens"]) {
    if (typeof body[key] === "number") {
      return Math.max(1, readCount(body, key));
    }
  }
  return undefined;
}

function promptTokensOf(
  body: Record<string, unknown>,
  messages: unknown[],
): number {
  let chars = textOf(body.system).length;
  for (const message of messages) {
    chars += textOf(asRecord(message)?.content).length;
  }
  if (body.tools !== undefined) {
    chars += JSON.stringify(body.tools).length;
  }
  return (
    Math.ceil(chars / SIMULATED_CHARS_PER_TOKEN) +
    TOKENS_PER_MESSAGE * (messages.length + 1)
  );
}

function tokensOf(text: string): number {
  return Math.ceil(text.length / SIMULATED_CHARS_PER_TOKEN);
}

/**
 * The text of a message's content in either format: a string, or a list
 * of parts or blocks whose `text` (or nested `content`) is text.
 */
function textOf(content: unknown): string {
  if (typeof content === "string") {
    return content;
  }
  if (!Array.isArray(content)) {
    return "";
  }
  return content
    .map((part) => {
      const record = asRecord(part);
      return readString(record, "text") ?? textOf(record?.content);
    })
    .join("\n");
}

/** FNV-1a, 32 bits, as 8 hex digits: stable, fast, not cryptographic. */
function hashHex(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}
