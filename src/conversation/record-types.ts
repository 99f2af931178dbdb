import type { AppliedOperation, ApplyResult } from "../operations/applied.js";
import type { Operation } from "../operations/schema.js";

/** An operation on its way in; only an import sets its own timestamp. */
export type IncomingOperation = Operation & { timestamp?: number };

/** Extras of one `apply`. */
export interface ApplyOptions {
  /** A budget to set (nano-USD) when the conversation has none. */
  budgetIfUnset?: number | null;
  /** More writes that must commit or fail with the batch. */
  alsoInTransaction?: () => void;
}

/** A call's request to hold money against the budget. */
export interface ReserveRequest {
  reservationId: string;
  source: string;
  model: string;
  /** The call's worst-case cost; null when it cannot be priced. */
  nanos: number | null;
  /** How long to hold it before the alarm lets go (ms). */
  ttlMs: number;
}

/** What a granted reservation reports (USD). */
export interface ReserveGrant {
  reservation_id: string;
  reserved: number;
  accumulated_cost: number;
  max_budget_per_task: number | null;
  /** Money held by every call in flight, this one included. */
  reserved_total: number;
  /** When the reservation lapses unless settled (epoch ms). */
  expires_at: number;
}

/** What `create` reports. */
export interface ConversationInfo {
  conversation_id: string;
  max_budget_per_task: number | null;
  created_at: number;
}

/** A batch that was applied: the reply and the operations now stored. */
export interface AppliedBatch {
  result: ApplyResult;
  applied: AppliedOperation[];
}
