import type { OperationInput } from "../operations/schema.js";

/** The details a ServiceError may carry. */
export interface ServiceErrorDetails {
  /** The HTTP status; 0 when no HTTP answer came (socket, network). */
  status?: number;
  /** Whether a later attempt may succeed; by default from the status. */
  transient?: boolean;
  /** The operations that were not stored. */
  operations?: readonly OperationInput[];
}

/**
 * An error from the service, or from reaching it. `type` is the service's
 * stable machine type (`unauthorized`, `invalid_request`, `read_only`,
 * ...) or one of the client's own: `network_error`, `timeout`,
 * `http_error` (an answer that was not the service's JSON error),
 * `socket_closed`, `socket_unsupported` and `invalid_frame`.
 */
export class ServiceError extends Error {
  override name = "ServiceError";
  /** The machine-readable error type. */
  readonly type: string;
  /** The HTTP status, or 0 when no HTTP answer came. */
  readonly status: number;
  /** True for failures that a later attempt may overcome. */
  readonly transient: boolean;
  /**
   * The operations that were not stored, if any. Sending them again
   * (Conversation.send) is safe: the service applies an id once.
   */
  readonly operations: readonly OperationInput[];

  constructor(
    type: string,
    message: string,
    details: ServiceErrorDetails = {},
  ) {
    super(message);
    this.type = type;
    this.status = details.status ?? 0;
    this.transient =
      details.transient ??
      (this.status === 0 || this.status === 429 || this.status >= 500);
    this.operations = details.operations ?? [];
  }

  /** The same error, naming the operations it left unstored. */
  withOperations(operations: readonly OperationInput[]): ServiceError {
    return new ServiceError(this.type, this.message, {
      status: this.status,
      transient: this.transient,
      operations,
    });
  }
}

/** Thrown by an `add*` call whose value the service would refuse. */
export class InvalidOperationError extends RangeError {
  override name = "InvalidOperationError";
}

/** Thrown when a closed conversation handle is used to write. */
export class ClientClosedError extends Error {
  override name = "ClientClosedError";

  constructor() {
    super("This conversation handle is closed; open a new one to write.");
  }
}

/** Any thrown value as an Error. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
