/**
 * Time limits on an upstream: one deadline for the response (its headers,
 * and for a JSON answer its whole body), and an idle limit between the
 * chunks of a stream, which may rightly run far longer than any deadline.
 */

/** The upstream did not answer within the limit. */
export class UpstreamTimeoutError extends Error {
  override name = "UpstreamTimeoutError";

  constructor(readonly timeoutMs: number) {
    super(`The upstream sent nothing for ${timeoutMs} ms.`);
  }
}

/**
 * A deadline that starts when it is made: `signal` aborts the upstream
 * request when it passes, and `race` rejects with UpstreamTimeoutError.
 * `clear` it once the response no longer needs it.
 */
export class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  #passed = false;

  constructor(readonly timeoutMs: number) {
    this.#timer = setTimeout(() => {
      this.#passed = true;
      this.#controller.abort(new UpstreamTimeoutError(timeoutMs));
    }, timeoutMs);
  }

  /** Aborts the upstream request when the deadline passes. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Waits for `work`, but not past the deadline. */
  race<T>(work: Promise<T>): Promise<T> {
    const timeout = () => new UpstreamTimeoutError(this.timeoutMs);
    if (this.#passed) {
      work.catch(() => {});
      return Promise.reject(timeout());
    }

    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(timeout());
      this.signal.addEventListener("abort", onAbort, { once: true });
      work.then(
        (value) => {
          this.signal.removeEventListener("abort", onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener("abort", onAbort);
          reject(this.#passed ? timeout() : asError(error));
        },
      );
    });
  }

  /** Stops the clock; the signal then never aborts. */
  clear(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * A stream that fails with UpstreamTimeoutError when `body` sends nothing
 * for `idleMs` while its reader waits, and cancels `body` then. The clock
 * runs only while the reader waits, so a slow client is not the upstream's
 * fault.
 *
 * @param onIdle called when the limit is hit, before the stream fails.
 */
export function withIdleTimeout(
  body: ReadableStream<Uint8Array>,
  idleMs: number,
  onIdle: () => void = () => {},
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        const idle = new Promise<"idle">((resolve) => {
          timer = setTimeout(() => resolve("idle"), idleMs);
        });
        const next = await Promise.race([reader.read(), idle]).finally(() =>
          clearTimeout(timer),
        );

        if (next === "idle") {
          onIdle();
          const error = new UpstreamTimeoutError(idleMs);
          await reader.cancel(error).catch(() => {});
          controller.error(error);
        } else if (next.done) {
          controller.close();
        } else {
          controller.enqueue(next.value);
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
