import { randomOperation } from "./gen-operations.js";
import type { ValidRequest } from "./gen-plan.js";
import type { Random } from "./random.js";
import type { Answered } from "./replay.js";
import type { OperationInput } from "./wire.js";

/** Whole batches of the first run resent per conversation. */
const RETRIES_PER_CONVERSATION = 6;

const MIX = { heavySourceWeight: 0.3, heavyModelWeight: 0.3 };

/**
 * Per conversation, in the order to send them: batches of the first run
 * resent as they were (every id already applied), and new batches that
 * mix fresh ids with old ones, so a restart shows whether the service
 * still knows which ids it applied.
 */
export function retriesAfterRestart(
  rng: Random,
  answered: readonly Answered[],
): Map<string, ValidRequest[]> {
  const byConversation = new Map<string, ValidRequest[]>();
  for (const { request, response } of answered) {
    if (response.status !== 200) continue;
    const list = byConversation.get(request.conversationId) ?? [];
    list.push(request);
    byConversation.set(request.conversationId, list);
  }

  const plan = new Map<string, ValidRequest[]>();
  for (const [id, earlier] of byConversation) {
    const requests: ValidRequest[] = [];
    for (let i = 0; i < RETRIES_PER_CONVERSATION; i += 1) {
      const old = rng.pick(earlier);
      requests.push({ ...old, why: "retry after restart" });
    }
    requests.splice(
      rng.int(0, requests.length),
      0,
      mixedBatch(rng, id, earlier),
    );
    plan.set(id, requests);
  }
  return plan;
}

/** New operations with some ids of the first run among them. */
function mixedBatch(
  rng: Random,
  conversationId: string,
  earlier: readonly ValidRequest[],
): ValidRequest {
  const operations: OperationInput[] = [];
  for (let i = rng.int(5, 40); i > 0; i -= 1) {
    const old = rng.pick(rng.pick(earlier).operations);
    const id = rng.chance(0.3) ? old.id : `post-${rng.int(1, 1e9)}`;
    operations.push(randomOperation(rng, id, MIX));
  }
  return {
    kind: "valid",
    conversationId,
    why: "mixed after restart",
    operations,
  };
}
