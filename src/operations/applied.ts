import type { Operation } from "./schema.js";

/**
 * An operation as the conversation applied it: its place in the
 * conversation's order (`seq`, from 1) and when it was applied (epoch
 * seconds). A latency is stored clamped to 0.
 */
export type AppliedOperation = Operation & { seq: number; timestamp: number };

/** The answer to a batch of operations. */
export interface ApplyResult {
  /** How many operations were new and applied. */
  applied: number;
  /** How many carried an id already applied; they changed nothing. */
  duplicates: number;
  /** The ids of the duplicates, in request order. */
  duplicate_ids: string[];
  /** The seq of the last operation in the conversation after this batch. */
  seq: number;
  /** The conversation's total in USD after this batch. */
  accumulated_cost: number;
}
