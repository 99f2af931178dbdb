import type { OperationInput } from "../operations/schema.js";
import { backoffDelayMs, sleep, type BackoffOptions } from "./backoff.js";
import { ServiceError } from "./errors.js";
import type { PostOutcome } from "./transport.js";

/** How retries of one batch go. */
export interface RetryOptions extends BackoffOptions {
  /** Attempts per batch, the first included, before it is given up. */
  maxAttempts: number;
}

/** What the queue needs from its owner. */
export interface WriteQueueOptions {
  /** The most operations one request carries (the service takes 1000). */
  maxBatch: number;
  /** How long the first queued operation waits for company. */
  lingerMs: number;
  retry: RetryOptions;
  /** Sends one batch once; must not throw. */
  post: (ops: readonly OperationInput[]) => Promise<PostOutcome>;
  /** Told of every batch given up, as it happens. */
  report: (error: ServiceError) => void;
}

/** A caller of flush() or settled(), waiting for a point in the queue. */
interface Waiter {
  /** How many operations had been queued when it started waiting. */
  target: number;
  /** Failures among those operations; null when it does not collect. */
  errors: ServiceError[] | null;
  done: (errors: ServiceError[]) => void;
}

/** Failures kept for a later flush() when nobody waits; bounds memory. */
const MAX_UNREPORTED = 100;

/**
 * Batches operations and sends them one request at a time, in the order
 * they were queued. A failed request is retried with the same operations,
 * so the same ids: the service applies an id once, and a retry after a
 * lost answer counts nothing twice. A batch the service refuses for good
 * is reported and the queue moves on.
 */
export class WriteQueue {
  readonly #options: WriteQueueOptions;
  #pending: OperationInput[] = [];
  #enqueued = 0;
  #settled = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #draining = false;
  #waiters: Waiter[] = [];
  #unreported: ServiceError[] = [];

  constructor(options: WriteQueueOptions) {
    this.#options = options;
  }

  /** Operations queued and not yet stored or given up. */
  get size(): number {
    return this.#enqueued - this.#settled;
  }

  /** Queues operations; they leave after the linger or with a full batch. */
  push(ops: readonly OperationInput[]): void {
    for (const op of ops) this.#pending.push(op);
    this.#enqueued += ops.length;

    // A running drain picks new operations up when its request returns.
    if (this.#draining) return;
    if (this.#pending.length >= this.#options.maxBatch) {
      this.#startDrain();
    } else {
      this.#timer ??= setTimeout(
        () => this.#startDrain(),
        this.#options.lingerMs,
      );
    }
  }

  /**
   * Sends what is queued now without waiting for the linger. Resolves when
   * every operation queued before the call is stored; rejects with the
   * first ServiceError if any of them was given up, or if a batch was
   * given up earlier while no flush() was waiting.
   */
  flush(): Promise<void> {
    const errors = this.#unreported.splice(0);
    return new Promise((resolve, reject) => {
      this.#wait(errors, (found) => {
        if (found[0] === undefined) resolve();
        else reject(found[0]);
      });
    });
  }

  /** Resolves when every operation queued so far is stored or given up. */
  settled(): Promise<void> {
    return new Promise((resolve) => this.#wait(null, () => resolve()));
  }

  #wait(
    errors: ServiceError[] | null,
    done: (errors: ServiceError[]) => void,
  ): void {
    this.#waiters.push({ target: this.#enqueued, errors, done });
    this.#startDrain();
    this.#wake();
  }

  #startDrain(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#draining || this.#pending.length === 0) return;

    this.#draining = true;
    void this.#drain();
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#options.maxBatch);
      const failures = await this.#send(batch);

      const first = this.#settled;
      this.#settled += batch.length;
      for (const failure of failures) this.#fail(failure, first);
      this.#wake();
    }
    // No await since the loop's last check: nothing can slip in between.
    this.#draining = false;
  }

  /** Sends one batch until stored or given up; returns what was given up. */
  async #send(batch: OperationInput[]): Promise<ServiceError[]> {
    const { retry } = this.#options;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#options.post(batch).catch(unexpected);
      if (outcome.ok) return [];

      const { error } = outcome;
      if (error.status === 413 && batch.length > 1) {
        // Too many bytes for the service: halves still go in order.
        const half = Math.ceil(batch.length / 2);
        const head = await this.#send(batch.slice(0, half));
        return [...head, ...(await this.#send(batch.slice(half)))];
      }
      if (!error.transient || attempt + 1 >= retry.maxAttempts) {
        return [error.withOperations(batch)];
      }

      const hinted = Math.min(outcome.retryAfterMs ?? 0, retry.maxDelayMs);
      await sleep(Math.max(backoffDelayMs(attempt, retry), hinted));
    }
  }

  /** Hands a failure to the flushes waiting for its batch, else keeps it. */
  #fail(error: ServiceError, batchStart: number): void {
    try {
      this.#options.report(error);
    } catch {
      // A throwing error handler must not stop the queue.
    }

    const collectors = this.#waiters.filter(
      (waiter) => waiter.errors !== null && waiter.target > batchStart,
    );
    for (const waiter of collectors) waiter.errors?.push(error);
    if (collectors.length === 0 && this.#unreported.length < MAX_UNREPORTED) {
      this.#unreported.push(error);
    }
  }

  #wake(): void {
    const ready = this.#waiters.filter((w) => w.target <= this.#settled);
    this.#waiters = this.#waiters.filter((w) => w.target > this.#settled);
    for (const waiter of ready) waiter.done(waiter.errors ?? []);
  }
}

/** A post that threw instead of answering counts as a network failure. */
function unexpected(error: unknown): PostOutcome {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    error: new ServiceError("network_error", `The request failed: ${detail}`),
    retryAfterMs: null,
  };
}
