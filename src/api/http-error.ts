import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Outcome } from "../conversation/outcome.js";

/** The JSON body of every error this service returns. */
export interface ErrorBody {
  error: { type: string; message: string };
}

/**
 * The one error type of the HTTP edge: a status, a stable machine-readable
 * `type`, and a sentence a person understands. `onError` renders it.
 */
export class HttpError extends Error {
  override name = "HttpError";

  constructor(
    readonly status: ContentfulStatusCode,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }

  /** The response body. */
  toBody(): ErrorBody {
    return { error: { type: this.type, message: this.message } };
  }
}

/** Returns an outcome's value, or throws its refusal as an HttpError. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new HttpError(outcome.status, outcome.type, outcome.message);
}
