/**
 * A fake LLM upstream for tests: a real HTTP server on 127.0.0.1 that
 * speaks OpenAI chat completions (any path ending in /chat/completions) and
 * Anthropic messages (any path ending in /messages), JSON and SSE, and
 * misbehaves on request (see behaviour.ts). It records every request:
 *
 * - GET /__requests[?tag=T]    -> {"requests": [RecordedRequest, ...]}
 * - DELETE /__requests[?tag=T] -> 204, forgets them
 *
 * Started by global-setup.ts for the workers tests; `startFakeUpstream`
 * also serves a Node test or a benchmark.
 */
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import {
  anthropicError,
  anthropicEvents,
  anthropicJson,
} from "./anthropic-wire.js";
import { FAKE_HEADER, readBehaviour, type FakeBehaviour } from "./behaviour.js";
import {
  openAiError,
  openAiEvents,
  openAiJson,
  type FakeRequest,
} from "./openai-wire.js";

/** One request the fake upstream received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  tag: string | null;
}

/** A running fake upstream. */
export interface FakeUpstream {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  close(): Promise<void>;
}

type Flavour = "openai" | "anthropic";

/**
 * Starts the fake upstream on 127.0.0.1.
 *
 * @param port 0 (the default) picks a free port.
 */
export async function startFakeUpstream(port = 0): Promise<FakeUpstream> {
  const recorded: RecordedRequest[] = [];
  const server = createServer({ noDelay: true }, (request, response) => {
    handle(request, response, recorded).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : undefined);
    });
  });

  await new Promise<void>((resolve) => {
    server.listen(port, "127.0.0.1", resolve);
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  recorded: RecordedRequest[],
): Promise<void> {
  const url = new URL(request.url ?? "/", "http://fake.upstream");
  const body = await readBody(request);

  if (url.pathname === "/__requests") {
    answerControl(request.method, url, response, recorded);
    return;
  }

  const behaviour = readBehaviour(headerOf(request, FAKE_HEADER), body);
  recorded.push({
    method: request.method ?? "",
    path: url.pathname,
    headers: headersOf(request),
    body,
    tag: behaviour.tag ?? null,
  });

  if (behaviour.unknown.length > 0) {
    const names = behaviour.unknown.join(", ");
    sendJson(response, 400, {
      error: { message: `Unknown fake-upstream directives: ${names}.` },
    });
    return;
  }

  const flavour = flavourOf(url.pathname);
  if (flavour === undefined || request.method !== "POST") {
    sendJson(response, 404, openAiError(404));
    return;
  }
  await sleep(behaviour.delayMs);
  await answerCall(flavour, body, behaviour, response);
}

function answerControl(
  method: string | undefined,
  url: URL,
  response: ServerResponse,
  recorded: RecordedRequest[],
): void {
  const tag = url.searchParams.get("tag");
  const matches = (entry: RecordedRequest) => tag === null || entry.tag === tag;

  if (method === "DELETE") {
    const kept = recorded.filter((entry) => !matches(entry));
    recorded.splice(0, recorded.length, ...kept);
    response.writeHead(204).end();
    return;
  }
  sendJson(response, 200, { requests: recorded.filter(matches) });
}

async function answerCall(
  flavour: Flavour,
  body: string,
  b: FakeBehaviour,
  response: ServerResponse,
): Promise<void> {
  const request = parseRequest(body);
  const costHeader: Record<string, string> =
    b.headerCostUsd === undefined
      ? {}
      : { "x-litellm-response-cost": b.headerCostUsd };

  if (b.status !== undefined) {
    const error = flavour === "openai" ? openAiError : anthropicError;
    sendJson(response, b.status, error(b.status));
    return;
  }

  if (!request.stream) {
    const json = flavour === "openai" ? openAiJson : anthropicJson;
    const text = JSON.stringify(json(b, request));
    await sendText(response, text, b, costHeader);
    return;
  }

  const events = flavour === "openai" ? openAiEvents : anthropicEvents;
  await sendEvents(response, events(b, request), b, costHeader);
}

async function sendText(
  response: ServerResponse,
  text: string,
  b: FakeBehaviour,
  extraHeaders: Record<string, string>,
): Promise<void> {
  const body = b.malformed ? text.slice(0, text.length / 2) : text;
  response.writeHead(200, {
    "content-type": "application/json",
    ...extraHeaders,
  });
  response.flushHeaders();
  await sleep(b.firstByteDelayMs);

  if (b.cutAfterEvents !== undefined) {
    await write(response, body.slice(0, body.length / 2));
    response.destroy();
    return;
  }
  response.end(body);
}

async function sendEvents(
  response: ServerResponse,
  events: string[],
  b: FakeBehaviour,
  extraHeaders: Record<string, string>,
): Promise<void> {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    ...extraHeaders,
  });
  response.flushHeaders();
  await sleep(b.firstByteDelayMs);

  for (const [index, event] of events.entries()) {
    if (index === b.cutAfterEvents) {
      response.destroy();
      return;
    }
    if (index === b.hangAfterEvents) {
      await new Promise((resolve) => response.once("close", resolve));
      return;
    }
    if (index > 0) {
      await sleep(b.chunkDelayMs);
    }
    await write(response, event);
  }
  response.end();
}

/** Writes and waits until the bytes are handed to the socket. */
function write(response: ServerResponse, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    response.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

function parseRequest(body: string): FakeRequest {
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(body) as Record<string, unknown>;
  } catch {
    // A test may send anything; the answer still needs a model name.
  }

  const options = parsed.stream_options as Record<string, unknown> | undefined;
  return {
    model: typeof parsed.model === "string" ? parsed.model : "unknown-model",
    stream: parsed.stream === true,
    includeUsage: options?.include_usage === true,
  };
}

function flavourOf(path: string): Flavour | undefined {
  if (path.endsWith("/chat/completions")) {
    return "openai";
  }
  return path.endsWith("/messages") ? "anthropic" : undefined;
}

function sendJson(response: ServerResponse, status: number, value: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(value));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(",") : value;
}

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(request.headers)) {
    headers[name] = headerOf(request, name) ?? "";
  }
  return headers;
}

function sleep(ms: number): Promise<void> {
  return ms > 0
    ? new Promise((resolve) => setTimeout(resolve, ms))
    : Promise.resolve();
}
