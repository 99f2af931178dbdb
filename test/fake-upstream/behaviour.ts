/**
 * How a test tells the fake upstream what to do. Directives come from the
 * `x-fake-upstream` request header and from `[fake: ...]` anywhere in the
 * request body (a message's text survives any proxy in between), separated
 * by commas or spaces; the body's win when both name the same key.
 *
 * | directive            | effect                                           |
 * |----------------------|--------------------------------------------------|
 * | normal               | nothing special (the default)                    |
 * | prompt=N             | prompt tokens, INCLUSIVE of cache (default 1000) |
 * | completion=N         | completion tokens (default 100)                  |
 * | cache-read=N         | cache read tokens (default 0)                    |
 * | cache-write=N        | cache write tokens (default 0)                   |
 * | cached               | cache-read=200 unless cache-read is given        |
 * | reasoning=N          | reasoning tokens, OpenAI only (default 0)        |
 * | model=NAME           | answer as NAME (default: the requested model)    |
 * | cost=USD             | send `x-litellm-response-cost: USD`              |
 * | body-cost=USD        | put `usage.cost` (OpenRouter style), OpenAI only |
 * | status=CODE          | fail with CODE and the provider's error body     |
 * | malformed            | JSON: a broken body; SSE: one broken event       |
 * | no-usage             | no usage at all (not even when asked)            |
 * | delay=MS             | wait before the response headers                 |
 * | first-byte-delay=MS  | wait after the headers, before the first byte    |
 * | chunk-delay=MS       | wait between stream events                       |
 * | cut[=N]              | stream: drop the connection after N events;      |
 * |                      | JSON: after half the body                        |
 * | hang-after[=N]       | stream: send N events, then hold the connection  |
 * |                      | open until the client goes away                  |
 * | tag=NAME             | label the recorded request (GET /__requests?tag) |
 *
 * N defaults to 2 for a bare `cut` or `hang-after`. An unknown directive
 * is answered with 400, so that a misspelt one cannot pass unnoticed.
 *
 * The counts are given in our normalised convention; the wire builders
 * turn them into each provider's own (Anthropic's `input_tokens` is the
 * prompt minus cache reads and writes).
 */

/** What the fake upstream does for one request. */
export interface FakeBehaviour {
  promptTokens: number;
  completionTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  answerModel?: string;
  headerCostUsd?: string;
  bodyCostUsd?: number;
  status?: number;
  malformed: boolean;
  noUsage: boolean;
  delayMs: number;
  firstByteDelayMs: number;
  chunkDelayMs: number;
  cutAfterEvents?: number;
  hangAfterEvents?: number;
  tag?: string;
  /** Directives the fake does not know. */
  unknown: string[];
}

/** The request header that carries directives. */
export const FAKE_HEADER = "x-fake-upstream";

/** The default token counts, for hand computation in tests. */
export const FAKE_DEFAULT_PROMPT_TOKENS = 1000;
export const FAKE_DEFAULT_COMPLETION_TOKENS = 100;

/** Events sent before a bare `cut` or `hang-after` acts. */
export const FAKE_BARE_EVENT_COUNT = 2;

/** The reply text, streamed one piece per content event. */
export const FAKE_REPLY_PIECES = [
  "The ",
  "fake ",
  "upstream ",
  "answers ",
  "here.",
];

const DIRECTIVES = new Set([
  "normal",
  "prompt",
  "completion",
  "cache-read",
  "cache-write",
  "cached",
  "reasoning",
  "model",
  "cost",
  "body-cost",
  "status",
  "malformed",
  "no-usage",
  "delay",
  "first-byte-delay",
  "chunk-delay",
  "cut",
  "hang-after",
  "tag",
]);

/** Builds a `[fake: ...]` tag to put in a message's text. */
export function fakeDirectives(directives: string): string {
  return `[fake: ${directives}]`;
}

/** Reads the directives of one request. */
export function readBehaviour(
  header: string | undefined,
  rawBody: string,
): FakeBehaviour {
  const pairs = new Map<string, string>();
  addDirectives(pairs, header ?? "");
  for (const match of rawBody.matchAll(/\[fake:([^\]]*)\]/g)) {
    addDirectives(pairs, match[1] ?? "");
  }

  const count = (key: string, fallback: number): number => {
    const raw = pairs.get(key);
    const value = Number(raw);
    return raw !== undefined && raw !== "" && Number.isFinite(value)
      ? value
      : fallback;
  };
  const optionalCount = (key: string, bare = 0): number | undefined =>
    pairs.has(key) ? count(key, bare) : undefined;

  return {
    promptTokens: count("prompt", FAKE_DEFAULT_PROMPT_TOKENS),
    completionTokens: count("completion", FAKE_DEFAULT_COMPLETION_TOKENS),
    cacheReadTokens: count("cache-read", pairs.has("cached") ? 200 : 0),
    cacheWriteTokens: count("cache-write", 0),
    reasoningTokens: count("reasoning", 0),
    answerModel: pairs.get("model"),
    headerCostUsd: pairs.get("cost"),
    bodyCostUsd: optionalCount("body-cost"),
    status: optionalCount("status"),
    malformed: pairs.has("malformed"),
    noUsage: pairs.has("no-usage"),
    delayMs: count("delay", 0),
    firstByteDelayMs: count("first-byte-delay", 0),
    chunkDelayMs: count("chunk-delay", 0),
    cutAfterEvents: optionalCount("cut", FAKE_BARE_EVENT_COUNT),
    hangAfterEvents: optionalCount("hang-after", FAKE_BARE_EVENT_COUNT),
    tag: pairs.get("tag"),
    unknown: [...pairs.keys()].filter((key) => !DIRECTIVES.has(key)),
  };
}

function addDirectives(pairs: Map<string, string>, text: string): void {
  for (const item of text.split(/[\s,]+/)) {
    if (item === "") {
      continue;
    }
    const equals = item.indexOf("=");
    if (equals === -1) {
      pairs.set(item, "");
    } else {
      pairs.set(item.slice(0, equals), item.slice(equals + 1));
    }
  }
}
