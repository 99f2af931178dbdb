import type { MiddlewareHandler } from "hono";
import type { LiveAccess } from "../live/upgrade.js";
import { HttpError } from "./http-error.js";
import { verifyToken } from "./tokens.js";

const encoder = new TextEncoder();

async function digest(value: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", encoder.encode(value));
}

/**
 * Digests of configured keys, kept for the isolate's life: the keys are
 * the same on every request, so hashing them each time is wasted work.
 * Bounded, in case the configuration changes under a live isolate.
 */
const keyDigests = new Map<string, Promise<ArrayBuffer>>();
const MAX_CACHED_KEYS = 64;

function keyDigest(key: string): Promise<ArrayBuffer> {
  let cached = keyDigests.get(key);
  if (cached === undefined) {
    if (keyDigests.size >= MAX_CACHED_KEYS) keyDigests.clear();
    cached = digest(key);
    keyDigests.set(key, cached);
  }
  return cached;
}

/**
 * Whether `presented` is one of `keys`, compared in constant time: both
 * sides are hashed first so neither the length nor the content of a key
 * shows in the timing, and every key is compared.
 */
export async function isValidKey(
  presented: string,
  keys: readonly string[],
): Promise<boolean> {
  const wanted = await digest(presented);
  let found = false;
  for (const key of keys) {
    const match = crypto.subtle.timingSafeEqual(wanted, await keyDigest(key));
    found = found || match;
  }
  return found;
}

/** The keys in `API_KEYS`, comma-separated, blanks dropped. */
export function parseKeys(raw: string | undefined): string[] {
  return (raw ?? "")
    .split(",")
    .map((key) => key.trim())
    .filter((key) => key !== "");
}

/** The token after `Bearer `, or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] ?? null;
}

/**
 * The configured API keys.
 * @throws HttpError 503 auth_not_configured when there are none
 */
function configuredKeys(env: Env): string[] {
  const keys = parseKeys(env.API_KEYS);
  if (keys.length === 0) {
    throw new HttpError(
      503,
      "auth_not_configured",
      "No API keys are configured, so every request is refused. Set " +
        "API_KEYS (for example `wrangler secret put API_KEYS`).",
    );
  }
  return keys;
}

/**
 * Requires `Authorization: Bearer KEY` with a key from `API_KEYS`. With no
 * keys configured every request is refused: the service never runs open.
 */
export function requireApiKey(): MiddlewareHandler<{ Bindings: Env }> {
  return async (c, next) => {
    const keys = configuredKeys(c.env);
    const presented = bearerToken(c.req.header("authorization"));
    if (presented === null || !(await isValidKey(presented, keys))) {
      throw new HttpError(
        401,
        "unauthorized",
        "Send a valid API key as `Authorization: Bearer KEY`.",
      );
    }
    await next();
  };
}

/** How a socket connect authenticates itself. */
export interface SocketCredentials {
  /** The Authorization header, if any. */
  authorization: string | undefined;
  /** The `token` query parameter, if any. */
  token: string | undefined;
}

/**
 * Authorises opening a conversation's socket: an API key (full access)
 * or a token from POST /v1/conversations/{id}/tokens for this very
 * conversation. A header that is present is checked, never skipped over.
 * @throws HttpError 401 (no or bad credentials), 403 (a token for another
 *   conversation), 503 (no keys configured)
 */
export async function authorizeSocket(
  env: Env,
  credentials: SocketCredentials,
  conversationId: string,
): Promise<LiveAccess> {
  const keys = configuredKeys(env);
  if (credentials.authorization !== undefined) {
    const presented = bearerToken(credentials.authorization);
    if (presented !== null && (await isValidKey(presented, keys))) {
      return "write";
    }
  } else if (credentials.token !== undefined) {
    const check = {
      token: credentials.token,
      conversationId,
      nowSeconds: Date.now() / 1000,
    };
    return verifyToken(env, keys, check);
  }
  throw new HttpError(
    401,
    "unauthorized",
    "Send a valid API key as `Authorization: Bearer KEY`, or (from a " +
      "browser) a token from POST /v1/conversations/{id}/tokens as " +
      "`?token=`.",
  );
}
