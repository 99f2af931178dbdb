import type { ApiResponse } from "./api.js";
import { differences } from "./compare.js";
import type { ValidRequest } from "./gen-plan.js";
import type { ReferenceConversation } from "./reference.js";
import type { BatchResult } from "./wire.js";

/** A valid batch and what the service answered. */
export interface Answered {
  request: ValidRequest;
  response: ApiResponse<BatchResult>;
}

/**
 * The order in which the service applied concurrent batches, read from
 * its answers: a batch that applied n operations took the seqs up to its
 * `seq`; one that applied none came after the batch that reached its
 * `seq`. The reference then replays that order and must answer alike.
 */
export function appliedOrder(answers: readonly Answered[]): Answered[] {
  const rank = (a: Answered) => (a.response.body.applied > 0 ? 0 : 1);
  return [...answers].sort(
    (a, b) => a.response.body.seq - b.response.body.seq || rank(a) - rank(b),
  );
}

/**
 * Feeds each answered batch, in the service's applied order, to the
 * conversation's reference and lists every answer that differs from the
 * reference's. Batches the service did not accept are reported and left
 * out of the reference.
 */
export function replay(
  answers: readonly Answered[],
  references: ReadonlyMap<string, ReferenceConversation>,
): string[] {
  const problems: string[] = [];
  const accepted = answers.filter((answer) => {
    if (answer.response.status === 200) return true;
    problems.push(
      `${answer.request.conversationId} ${answer.request.why}: ` +
        `status ${answer.response.status} ${answer.response.text}`,
    );
    return false;
  });

  for (const answer of appliedOrder(accepted)) {
    const { conversationId, why, operations } = answer.request;
    const reference = references.get(conversationId);
    if (!reference) throw new Error(`no reference for ${conversationId}`);

    const expected = reference.applyBatch(operations);
    const diffs = differences(expected, answer.response.body, 10);
    if (diffs.length > 0) {
      problems.push(
        `${conversationId} ${why} (${operations.length} ops, ` +
          `first id ${operations[0]?.id}): ${diffs.join("; ")}`,
      );
    }
  }
  return problems;
}
