import type { Context } from "hono";
import { HttpError } from "./http-error.js";

/** The largest body an ordinary request may send. */
export const MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number): HttpError {
  return new HttpError(
    413,
    "payload_too_large",
    `The request body is larger than ${maxBytes} bytes; send less at once.`,
  );
}

/** Reads at most `maxBytes` of the body, refusing more without reading it. */
async function readText(c: Context, maxBytes: number): Promise<string> {
  const length = c.req.header("content-length");
  if (length !== undefined && Number(length) > maxBytes) {
    throw tooLarge(maxBytes);
  }
  // A declared length bounds the body (HTTP framing holds it to that), so
  // it can be read whole; only a body of unknown length is read in chunks.
  if (length !== undefined) return c.req.raw.text();

  const body = c.req.raw.body;
  if (body === null) return "";
  const reader = body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }

  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/**
 * Reads and parses a JSON body. An empty body gives `emptyValue` when one
 * is given, else an error, so optional bodies stay optional.
 * @throws HttpError 400 invalid_json, 413 payload_too_large
 */
export async function readJson(
  c: Context,
  options: { maxBytes?: number; emptyValue?: unknown } = {},
): Promise<unknown> {
  const text = await readText(c, options.maxBytes ?? MAX_BODY_BYTES);
  if (text.trim() === "") {
    if ("emptyValue" in options) return options.emptyValue;
    throw new HttpError(
      400,
      "invalid_json",
      "The request body is empty; send a JSON object.",
    );
  }

  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new HttpError(
      400,
      "invalid_json",
      `The request body is not valid JSON (${detail}).`,
    );
  }
}
