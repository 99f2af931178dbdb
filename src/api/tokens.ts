/**
 * Short-lived socket tokens: browsers cannot set a header on a WebSocket,
 * so a caller holding an API key asks for a token bound to one
 * conversation and one access level, and the browser passes it as
 * `?token=` on the socket route, the only route that accepts one.
 *
 * Format: `cmt1.<payload>.<signature>`, both parts base64url without
 * padding; the payload is JSON `{conversation_id, access, expires_at}`
 * (epoch seconds) and the signature is HMAC-SHA-256 over `cmt1.<payload>`.
 *
 * The signing secret is TOKEN_SECRET when set: rotating it ends every
 * token at once, and rotating API keys ends none (they expire within
 * MAX_TOKEN_TTL_SECONDS). Without it, each token is signed with a secret
 * derived from the API key that asked for it, and verified against every
 * configured key: adding a key keeps all tokens valid, and removing a key
 * ends the tokens it issued, which is what revoking a key should do.
 */
import { HttpError } from "./http-error.js";
import { isLiveAccess, type LiveAccess } from "../live/upgrade.js";

/** How long a token lives when the caller does not say. */
export const DEFAULT_TOKEN_TTL_SECONDS = 300;

/** The longest a token may live. */
export const MAX_TOKEN_TTL_SECONDS = 3600;

/** A TOKEN_SECRET shorter than this would let tokens be forged offline. */
const MIN_SECRET_LENGTH = 32;

const PREFIX = "cmt1";
const DERIVATION_LABEL = "conversation-metrics socket token v1";
const encoder = new TextEncoder();

/** What a token grants, and until when. */
export interface TokenClaims {
  conversation_id: string;
  access: LiveAccess;
  /** Epoch seconds. */
  expires_at: number;
}

/** The reply to `POST /v1/conversations/{id}/tokens`. */
export interface IssuedToken extends TokenClaims {
  token: string;
}

/**
 * Signs a token for `claims.conversation_id`.
 * @param apiKey the key the caller presented (used when no TOKEN_SECRET)
 */
export async function issueToken(
  env: Env,
  apiKey: string,
  claims: TokenClaims,
): Promise<IssuedToken> {
  const secret = configuredSecret(env);
  const key = await hmacKey(secret ?? (await deriveSecret(apiKey)));
  const payload = toBase64Url(encoder.encode(JSON.stringify(claims)));
  const signed = `${PREFIX}.${payload}`;
  const signature = await crypto.subtle.sign(
    "HMAC",
    key,
    encoder.encode(signed),
  );
  return { token: `${signed}.${toBase64Url(signature)}`, ...claims };
}

/** A token presented to open a conversation's socket. */
export interface TokenCheck {
  token: string;
  conversationId: string;
  nowSeconds: number;
}

/**
 * Checks a token's signature, expiry and conversation.
 * @param apiKeys the configured API keys (used when no TOKEN_SECRET)
 * @returns the access the token grants
 * @throws HttpError 401 invalid_token or token_expired, 403
 *   token_not_for_conversation
 */
export async function verifyToken(
  env: Env,
  apiKeys: readonly string[],
  check: TokenCheck,
): Promise<LiveAccess> {
  const claims = await verifiedClaims(env, apiKeys, check.token);
  if (claims === null) {
    throw new HttpError(
      401,
      "invalid_token",
      "The token is malformed or its signature does not match; ask " +
        "POST /v1/conversations/{id}/tokens for a new one.",
    );
  }
  if (claims.expires_at <= check.nowSeconds) {
    throw new HttpError(
      401,
      "token_expired",
      "The token has expired; ask POST /v1/conversations/{id}/tokens " +
        "for a new one before each connect.",
    );
  }
  if (claims.conversation_id !== check.conversationId) {
    throw new HttpError(
      403,
      "token_not_for_conversation",
      "The token was issued for another conversation; a token opens " +
        "only the conversation it names.",
    );
  }
  return claims.access;
}

async function verifiedClaims(
  env: Env,
  apiKeys: readonly string[],
  token: string,
): Promise<TokenClaims | null> {
  const [prefix, payload, signature, ...rest] = token.split(".");
  if (prefix !== PREFIX || payload === undefined || rest.length > 0) {
    return null;
  }
  const signatureBytes = fromBase64Url(signature ?? "");
  if (signatureBytes === null) return null;

  const signed = encoder.encode(`${PREFIX}.${payload}`);
  let valid = false;
  for (const key of await verifyingKeys(env, apiKeys)) {
    const match = await crypto.subtle.verify(
      "HMAC",
      key,
      signatureBytes,
      signed,
    );
    valid = valid || match;
  }
  return valid ? parseClaims(fromBase64Url(payload)) : null;
}

function parseClaims(bytes: Uint8Array | null): TokenClaims | null {
  if (bytes === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const claims = value as Partial<TokenClaims> | null;
  const fits =
    typeof claims?.conversation_id === "string" &&
    isLiveAccess(claims.access) &&
    typeof claims.expires_at === "number";
  return fits ? (claims as TokenClaims) : null;
}

/** TOKEN_SECRET, or null when unset or blank. */
function configuredSecret(env: Env): Uint8Array | null {
  const secret = env.TOKEN_SECRET?.trim() ?? "";
  if (secret === "") return null;
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new HttpError(
      503,
      "token_secret_too_short",
      `TOKEN_SECRET must be at least ${MIN_SECRET_LENGTH} characters; ` +
        "set a longer random value, or unset it to sign with the API keys.",
    );
  }
  return encoder.encode(secret);
}

async function verifyingKeys(
  env: Env,
  apiKeys: readonly string[],
): Promise<CryptoKey[]> {
  const secret = configuredSecret(env);
  if (secret !== null) return [await hmacKey(secret)];

  return Promise.all(
    apiKeys.map(async (apiKey) => hmacKey(await deriveSecret(apiKey))),
  );
}

/** A per-key secret, so the API key itself never signs anything. */
async function deriveSecret(apiKey: string): Promise<ArrayBuffer> {
  const key = await hmacKey(encoder.encode(apiKey));
  return crypto.subtle.sign("HMAC", key, encoder.encode(DERIVATION_LABEL));
}

function hmacKey(secret: BufferSource): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    secret,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

function toBase64Url(data: ArrayBuffer | Uint8Array): string {
  let binary = "";
  for (const byte of new Uint8Array(data)) binary += String.fromCharCode(byte);
  return btoa(binary)
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  const padded = text.replaceAll("-", "+").replaceAll("_", "/");
  try {
    const binary = atob(padded + "=".repeat((4 - (padded.length % 4)) % 4));
    return Uint8Array.from(binary, (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}
