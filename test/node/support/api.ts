/** A status and the parsed JSON body (null when the body is not JSON). */
export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
}

/** JSON requests against one running service, with its key. */
export interface Api {
  /**
   * Sends a request. An object body is sent as JSON; a string body is sent
   * as is (to test malformed JSON). `key: null` sends no Authorization.
   */
  send<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options?: { key?: string | null },
  ): Promise<ApiResponse<T>>;
  get<T = unknown>(path: string): Promise<ApiResponse<T>>;
  post<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = unknown>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = unknown>(path: string): Promise<ApiResponse<T>>;
}

/**
 * A tiny JSON client for a service started by `startService`. It reads
 * `service.url` on every call, so it keeps working after a restart.
 */
export function api(service: { url: string; apiKey: string }): Api {
  async function send<T>(
    method: string,
    path: string,
    body?: unknown,
    options: { key?: string | null } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    const key = options.key === undefined ? service.apiKey : options.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    if (body !== undefined) headers["content-type"] = "application/json";

    const response = await fetch(`${service.url}${path}`, {
      method,
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: parseJson(text) as T, text };
  }

  return {
    send,
    get: <T>(path: string) => send<T>("GET", path),
    post: <T>(path: string, body?: unknown) => send<T>("POST", path, body),
    put: <T>(path: string, body?: unknown) => send<T>("PUT", path, body),
    delete: <T>(path: string) => send<T>("DELETE", path),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
