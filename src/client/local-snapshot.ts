import type {
  ConversationSnapshot,
  ConversationTotals,
} from "../metrics/snapshot-types.js";
import { buildSnapshot, buildTotals } from "../metrics/snapshot.js";
import type { LocalRecord } from "./local-record.js";

// A local record has no budget: OpenHands' Metrics default.
const context = (record: LocalRecord) => ({
  conversationId: record.conversationId,
  seq: record.seq,
  budgetNanos: null,
});

/** A local record's totals without lists: what an update carries. */
export function localTotals(record: LocalRecord): ConversationTotals {
  return buildTotals(record.totals, context(record));
}

/** A local record's snapshot, the shape of `GET /metrics`. */
export function localSnapshot(record: LocalRecord): ConversationSnapshot {
  return buildSnapshot(record.totals, record.recent, context(record));
}
