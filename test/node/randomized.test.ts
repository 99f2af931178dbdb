/**
 * A randomized comparison of the real service (wrangler dev, over HTTP)
 * with an independent reference model, across a restart of the runtime on
 * the same storage. Replay a run with `SEED=<n>`; the seed is printed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "./support/api.js";
import { differences } from "./support/compare.js";
import type { ConversationSpec, PlannedRequest } from "./support/gen-plan.js";
import { planRun } from "./support/gen-plan.js";
import { observe, type Observation } from "./support/observe.js";
import { mapConcurrently } from "./support/pool.js";
import { Random } from "./support/random.js";
import { ReferenceConversation, type ScopeLists } from "./support/reference.js";
import { replay, type Answered } from "./support/replay.js";
import { api, startService, type Api } from "./support/service.js";
import type { RunningService } from "./support/service.js";
import type { BatchResult, ErrorBody } from "./support/wire.js";
import { retriesAfterRestart } from "./support/gen-retries.js";

const seed = Random.seedFromEnv();
const rng = new Random(seed);
console.log(JSON.stringify({ message: "randomized run", seed }));

/** Requests in flight at once, across and within conversations. */
const CONCURRENCY = 8;

const HEAVY = { heavySourceWeight: 0.75, heavyModelWeight: 0.75 };
const SPREAD = { heavySourceWeight: 0.1, heavyModelWeight: 0.1 };

/** Conversations created up front, with and without a budget. */
const CREATED = [
  { conversation_id: "conv-budget", max_budget_per_task: 2.5 },
  { max_budget_per_task: 10 },
  { conversation_id: "conv-plain" },
] as const;

/** One refused request and the service's answer. */
interface Refused {
  request: PlannedRequest & { kind: "invalid" };
  response: ApiResponse<ErrorBody>;
}

describe("the service compared with an independent reference", () => {
  let service: RunningService;
  let client: Api;
  const references = new Map<string, ReferenceConversation>();
  const created: ApiResponse<Record<string, unknown>>[] = [];
  let answered: Answered[] = [];
  let refused: Refused[] = [];
  let replayProblems: string[] = [];
  const before = new Map<string, Observation>();
  const startedAt = Date.now();

  beforeAll(async () => {
    service = await startService();
    client = api(service);

    const ids = await createConversations();
    const specs: ConversationSpec[] = [
      { id: "conv-heavy", targetOps: 2_200, mix: HEAVY },
      { id: ids[0] ?? "conv-budget", targetOps: 250, mix: SPREAD },
      { id: ids[1] ?? "conv-server-id", targetOps: 250, mix: SPREAD },
      { id: ids[2] ?? "conv-plain", targetOps: 150, mix: SPREAD },
      { id: "conv-implicit-1", targetOps: 300, mix: SPREAD },
      { id: "conv-implicit-2", targetOps: 120, mix: HEAVY },
      { id: "conv-ghost", targetOps: 3, mix: SPREAD, onlyInvalid: true },
    ];
    for (const spec of specs) {
      if (spec.onlyInvalid || references.has(spec.id)) continue;
      references.set(spec.id, new ReferenceConversation(spec.id));
    }

    const plan = planRun(rng, specs);
    await sendPlan(plan);
    replayProblems = replay(answered, references);

    for (const id of references.keys()) {
      before.set(id, await observe(client, id, rng));
    }
  });

  afterAll(async () => {
    await service?.stop();
    const seconds = (Date.now() - startedAt) / 1000;
    console.log(JSON.stringify({ message: "randomized done", seed, seconds }));
  });

  async function createConversations(): Promise<string[]> {
    const ids: string[] = [];
    for (const body of CREATED) {
      const response = await client.post<Record<string, unknown>>(
        "/v1/conversations",
        body,
      );
      created.push(response);

      const id = response.body?.conversation_id;
      const fallback = "conversation_id" in body ? body.conversation_id : "";
      const key = typeof id === "string" ? id : fallback;
      const budget =
        "max_budget_per_task" in body ? body.max_budget_per_task : null;
      references.set(key, new ReferenceConversation(key, budget));
      ids.push(key);
    }
    return ids;
  }

  async function sendPlan(plan: PlannedRequest[]): Promise<void> {
    const answers = await mapConcurrently(plan, CONCURRENCY, async (req) => {
      const path = `/v1/conversations/${encodeURIComponent(
        req.conversationId,
      )}/operations`;
      if (req.kind === "valid") {
        const body = { operations: req.operations };
        const response = await client.post<BatchResult>(path, body);
        return { kind: "valid" as const, answer: { request: req, response } };
      }
      const response = await client.send<ErrorBody>("POST", path, req.body, {
        ...(req.key === undefined ? {} : { key: req.key }),
      });
      return { kind: "invalid" as const, answer: { request: req, response } };
    });

    answered = answers.flatMap((a) => (a.kind === "valid" ? [a.answer] : []));
    refused = answers.flatMap((a) => (a.kind === "invalid" ? [a.answer] : []));
  }

  it("creates conversations with the id and budget asked for", () => {
    const problems = created.flatMap((response, i) => {
      const asked = CREATED[i] ?? {};
      const expected = {
        status: 201,
        max_budget_per_task:
          "max_budget_per_task" in asked ? asked.max_budget_per_task : null,
        ...("conversation_id" in asked ? { id: asked.conversation_id } : {}),
      };
      const got = {
        status: response.status,
        max_budget_per_task: response.body?.max_budget_per_task,
        ...("conversation_id" in asked
          ? { id: response.body?.conversation_id }
          : {}),
      };
      return differences(expected, got).map((d) => `create #${i}: ${d}`);
    });

    expect(problems).toEqual([]);
  });

  it("answers every valid batch as the reference does", () => {
    expect(answered.length).toBeGreaterThan(0);
    expect(replayProblems).toEqual([]);
  });

  it("refuses every invalid batch with its 4xx and error body", () => {
    const problems = refused.flatMap(({ request, response }) => {
      const error = response.body?.error;
      const ok =
        request.expect.statuses.includes(response.status) &&
        typeof error?.message === "string" &&
        error.message.length > 0 &&
        request.expect.types.includes(error.type);
      return ok
        ? []
        : [
            `${request.conversationId} ${request.why}: expected ` +
              `${request.expect.statuses.join("|")} ` +
              `${request.expect.types.join("|")}, got ${response.status} ` +
              response.text.slice(0, 300),
          ];
    });

    expect(refused.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it("reports every field of the metrics as the reference does", () => {
    expect(compareAll(before, "share")).toEqual([]);
  });

  it("pages the operations log in the order the reference applied", () => {
    const problems = [...before].flatMap(([id, seen]) => [
      ...seen.pagingProblems,
      ...differences(
        references.get(id)?.operations(timestamps(seen)),
        seen.operations,
      ).map((d) => `${id} operations ${d}`),
      ...timestampProblems(id, seen),
    ]);

    expect(problems).toEqual([]);
  });

  it("answers 404 for a conversation that only got refused requests", async () => {
    const response = await client.get<ErrorBody>(
      "/v1/conversations/conv-ghost/metrics",
    );

    expect(response.status).toBe(404);
    expect(response.body?.error?.type).toBe("not_found");
  });

  it("reports identical metrics and operations after a restart", async () => {
    await service.restart();

    const after = new Map<string, Observation>();
    for (const id of references.keys()) {
      after.set(id, await observe(client, id, rng));
    }

    const problems = [...before].flatMap(([id, old]) => {
      const now = after.get(id);
      return [
        ...differences(
          { status: old.metrics.status, body: old.metrics.body },
          { status: now?.metrics.status, body: now?.metrics.body },
        ).map((d) => `${id} ${d}`),
        ...differences(old.operations, now?.operations).map(
          (d) => `${id} operations ${d}`,
        ),
      ];
    });
    expect(problems).toEqual([]);
    expect(compareAll(after, "share")).toEqual([]);
  });

  it("treats batches retried after a restart as duplicates", async () => {
    const plan = retriesAfterRestart(rng, answered);
    const answers = await mapConcurrently(
      [...plan.keys()],
      CONCURRENCY,
      async (id) => {
        const out: Answered[] = [];
        for (const request of plan.get(id) ?? []) {
          const path = `/v1/conversations/${encodeURIComponent(id)}/operations`;
          const body = { operations: request.operations };
          const response = await client.post<BatchResult>(path, body);
          out.push({ request, response });
        }
        return out;
      },
    );

    const problems = replay(answers.flat(), references);
    const seen = new Map<string, Observation>();
    for (const id of references.keys()) {
      seen.set(id, await observe(client, id, rng));
    }

    expect(problems).toEqual([]);
    expect(compareAll(seen, "share")).toEqual([]);
  });

  /** Every difference between the service's metrics and the reference. */
  function compareAll(
    observed: Map<string, Observation>,
    scopeLists: ScopeLists,
  ): string[] {
    return [...observed].flatMap(([id, seen]) => {
      const reference = references.get(id);
      const expected = {
        status: 200,
        body: reference?.snapshot(timestamps(seen), scopeLists),
      };
      const got = { status: seen.metrics.status, body: seen.metrics.body };
      return differences(expected, got).map((d) => `${id} ${d}`);
    });
  }
});

/** The service's own apply time of each operation, by id. */
function timestamps(seen: Observation): (id: string) => number {
  const byId = new Map<unknown, unknown>();
  for (const op of seen.operations) byId.set(op.id, op.timestamp);
  return (id) => {
    const time = byId.get(id);
    return typeof time === "number" ? time : NaN;
  };
}

/** Apply times must be plausible epoch seconds. */
function timestampProblems(id: string, seen: Observation): string[] {
  const bad = seen.operations.filter(
    (op) =>
      typeof op.timestamp !== "number" ||
      op.timestamp < 1.7e9 ||
      op.timestamp > Date.now() / 1000 + 60,
  );
  return bad
    .slice(0, 5)
    .map(
      (op) => `${id} seq ${String(op.seq)}: timestamp ${String(op.timestamp)}`,
    );
}
