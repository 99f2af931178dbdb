import type { ConversationSnapshot } from "../metrics/snapshot-types.js";
import type { OperationInput } from "../operations/schema.js";
import { retryAfterMs } from "./backoff.js";
import { ServiceError } from "./errors.js";
import type { PostOutcome, Transport } from "./transport.js";
import type { FetchLike } from "./transport-types.js";

/** What the HTTP client needs to reach one conversation. */
export interface HttpConfig {
  baseUrl: string;
  conversationId: string;
  fetch: FetchLike;
  /** The `Authorization` header value. */
  authorization: string;
  requestTimeoutMs: number;
}

/** The HTTP routes of one conversation, for a client with an API key. */
export class HttpTransport implements Transport {
  readonly #config: HttpConfig;
  readonly #root: string;

  constructor(config: HttpConfig) {
    this.#config = config;
    this.#root =
      `${config.baseUrl}/v1/conversations/` +
      encodeURIComponent(config.conversationId);
  }

  /** POST /operations once; never throws, so the queue decides retries. */
  async post(ops: readonly OperationInput[]): Promise<PostOutcome> {
    let answer: Answer;
    try {
      answer = await this.#exchange("POST", "/operations", {
        operations: ops,
      });
    } catch (error) {
      return { ok: false, error: this.#unreachable(error), retryAfterMs: null };
    }

    if (answer.status >= 200 && answer.status < 300) return { ok: true };
    return {
      ok: false,
      error: errorFromAnswer(answer),
      retryAfterMs: retryAfterMs(answer.retryAfter),
    };
  }

  /**
   * GET /metrics: the conversation's snapshot.
   * @throws ServiceError when the service refuses or cannot be reached
   */
  async snapshot(): Promise<ConversationSnapshot> {
    let answer: Answer;
    try {
      answer = await this.#exchange("GET", "/metrics");
    } catch (error) {
      throw this.#unreachable(error);
    }

    if (answer.status !== 200) throw errorFromAnswer(answer);
    return answer.body as ConversationSnapshot;
  }

  close(): void {
    // Nothing stays open between requests.
  }

  /**
   * One request and its whole body, within the timeout. The timer is
   * cleared at the end, so no request leaves one running behind it.
   */
  async #exchange(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<Answer> {
    const headers: Record<string, string> = {
      authorization: this.#config.authorization,
    };
    if (body !== undefined) headers["content-type"] = "application/json";

    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(),
      this.#config.requestTimeoutMs,
    );
    try {
      const response = await this.#config.fetch(this.#root + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      return {
        status: response.status,
        statusText: response.statusText,
        retryAfter: response.headers.get("retry-after"),
        body: parseJson(await response.text()),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  #unreachable(error: unknown): ServiceError {
    const name = error instanceof Error ? error.name : "";
    if (name === "AbortError" || name === "TimeoutError") {
      return new ServiceError(
        "timeout",
        "The metrics service did not answer within " +
          `${this.#config.requestTimeoutMs} ms.`,
      );
    }
    const detail = error instanceof Error ? error.message : String(error);
    return new ServiceError(
      "network_error",
      `The metrics service could not be reached: ${detail}`,
    );
  }
}

/** What the client keeps of a response. */
interface Answer {
  status: number;
  statusText: string;
  retryAfter: string | null;
  /** The parsed JSON body; null when empty or not JSON. */
  body: unknown;
}

function parseJson(text: string): unknown {
  try {
    return text === "" ? null : (JSON.parse(text) as unknown);
  } catch {
    return null;
  }
}

/** The service's `{"error": {type, message}}`, or a generic HTTP error. */
function errorFromAnswer(answer: Answer): ServiceError {
  const error = (
    answer.body as { error?: { type?: unknown; message?: unknown } } | null
  )?.error;
  if (typeof error?.type === "string" && typeof error.message === "string") {
    return new ServiceError(error.type, error.message, {
      status: answer.status,
    });
  }
  const status = `${answer.status} ${answer.statusText}`.trim();
  return new ServiceError(
    "http_error",
    `The metrics service answered ${status}.`,
    { status: answer.status },
  );
}
