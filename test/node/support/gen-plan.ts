import { BAD_CASES, type InvalidRequest } from "./gen-invalid.js";
import { randomOperation, type Mix } from "./gen-operations.js";
import type { Random } from "./random.js";
import type { OperationInput } from "./wire.js";

/** A batch the service must accept (200), some or all of it duplicates. */
export interface ValidRequest {
  kind: "valid";
  conversationId: string;
  why: string;
  operations: OperationInput[];
}

export type PlannedRequest = ValidRequest | InvalidRequest;

/** What to send to one conversation. */
export interface ConversationSpec {
  id: string;
  /** How many distinct new operations to send in valid batches. */
  targetOps: number;
  mix: Mix;
  /** Send only refused requests: the conversation must never exist. */
  onlyInvalid?: boolean;
}

/** The ids and batches one conversation's plan has used so far. */
class History {
  counter = 0;
  /** Operations sent in valid batches: sources of duplicates. */
  readonly sent: OperationInput[] = [];
  readonly batches: OperationInput[][] = [];
  /** Ids that only ever went out in refused requests. */
  readonly refused: string[] = [];

  constructor(readonly prefix: string) {}

  nextId(): string {
    this.counter += 1;
    return `${this.prefix}${this.counter}`;
  }

  /** A fresh id for a refused request, remembered for reuse. */
  burnId(): string {
    const id = this.nextId();
    this.refused.push(id);
    return id;
  }

  /** An id never applied: now and then one a refused request carried. */
  freshId(rng: Random): string {
    if (this.refused.length > 0 && rng.chance(0.3)) {
      const [id] = this.refused.splice(rng.int(0, this.refused.length - 1), 1);
      if (id !== undefined) return id;
    }
    return this.nextId();
  }
}

function batchSize(rng: Random): number {
  return rng.weighted([
    [30, () => 1],
    [35, () => rng.int(2, 10)],
    [25, () => rng.int(11, 100)],
    [10, () => rng.int(101, 400)],
    // Now and then the largest batch the contract allows.
    [1, () => 1000],
  ] as const)();
}

/**
 * A batch of mostly new operations, with duplicates of earlier ids (same
 * or other content) and of ids earlier in the same batch.
 */
function newBatch(rng: Random, spec: ConversationSpec, history: History) {
  const ops: OperationInput[] = [];
  let fresh = 0;

  for (let i = batchSize(rng); i > 0; i -= 1) {
    const roll = rng.next();
    const earlier = history.sent.length > 0 ? rng.pick(history.sent) : null;
    const inBatch = ops.length > 0 ? rng.pick(ops) : null;

    if (roll < 0.06 && earlier) {
      ops.push(earlier);
    } else if (roll < 0.09 && earlier) {
      ops.push(randomOperation(rng, earlier.id, spec.mix));
    } else if (roll < 0.12 && inBatch) {
      ops.push(randomOperation(rng, inBatch.id, spec.mix));
    } else {
      ops.push(randomOperation(rng, history.freshId(rng), spec.mix));
      fresh += 1;
    }
  }
  return { ops, fresh };
}

function invalidRequest(
  rng: Random,
  spec: ConversationSpec,
  history: History,
  caseIndex: number,
): InvalidRequest {
  const bad = BAD_CASES[caseIndex % BAD_CASES.length];
  if (!bad) throw new RangeError("no bad cases");

  const good = Array.from({ length: rng.int(1, 5) }, () =>
    randomOperation(rng, history.burnId(), spec.mix),
  );
  const request: InvalidRequest = {
    kind: "invalid",
    conversationId: spec.id,
    why: bad.why,
    body: bad.build(rng, good, () => history.burnId()),
    expect: bad.expect,
  };
  if (bad.key !== undefined) request.key = bad.key;
  return request;
}

/**
 * Plans every request of a run: per conversation, new batches, whole
 * retries and refused requests, every kind of refusal at least once, then
 * interleaved at random while each conversation keeps its own order.
 */
export function planRun(
  rng: Random,
  specs: readonly ConversationSpec[],
): PlannedRequest[] {
  let badCursor = rng.int(0, BAD_CASES.length - 1);
  const firstBad = badCursor;
  const lists = specs.map((spec) => {
    const history = new History("op-");
    const requests: PlannedRequest[] = [];

    let fresh = 0;
    while (fresh < spec.targetOps) {
      const action = spec.onlyInvalid
        ? "invalid"
        : rng.weighted([
            [72, "new"],
            [14, "retry"],
            [14, "invalid"],
          ] as const);

      if (action === "invalid") {
        requests.push(invalidRequest(rng, spec, history, badCursor));
        badCursor += 1;
        if (spec.onlyInvalid) fresh += 1;
      } else if (action === "retry" && history.batches.length > 0) {
        const operations = rng.pick(history.batches);
        requests.push(validRequest(spec, "retry of a whole batch", operations));
      } else {
        const batch = newBatch(rng, spec, history);
        history.sent.push(...batch.ops);
        history.batches.push(batch.ops);
        requests.push(validRequest(spec, "new batch", batch.ops));
        fresh += batch.fresh;
      }
    }
    return { spec, history, requests };
  });

  // Cover every kind of refusal at least once per run.
  while (badCursor - firstBad < BAD_CASES.length) {
    const target = rng.pick(lists);
    const request = invalidRequest(rng, target.spec, target.history, badCursor);
    target.requests.splice(rng.int(0, target.requests.length), 0, request);
    badCursor += 1;
  }
  return interleave(
    rng,
    lists.map((list) => list.requests),
  );
}

function validRequest(
  spec: ConversationSpec,
  why: string,
  operations: OperationInput[],
): ValidRequest {
  return { kind: "valid", conversationId: spec.id, why, operations };
}

/** Merges lists at random, keeping the order inside each list. */
function interleave<T>(rng: Random, lists: T[][]): T[] {
  const queues = lists.map((list) => [...list]);
  const out: T[] = [];
  for (;;) {
    const left = queues.filter((queue) => queue.length > 0);
    if (left.length === 0) return out;

    const total = left.reduce((sum, queue) => sum + queue.length, 0);
    const queue = rng.weighted(left.map((q) => [q.length / total, q] as const));
    const item = queue.shift();
    if (item !== undefined) out.push(item);
  }
}
