/**
 * Values at the edges of what the contract accepts, through the real
 * service: strings that are not well-formed Unicode, and token counts
 * that could take totals past what a JSON number holds exactly. Each may
 * be refused (4xx, nothing stored) or accepted; accepted, it must be kept
 * exactly and deduplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, startService, type Api } from "./support/service.js";
import type { RunningService } from "./support/service.js";
import type { BatchResult, ErrorBody } from "./support/wire.js";

/** A lone UTF-16 surrogate: valid in a JSON string, not in UTF-8. */
const LONE_SURROGATE = "\ud800";

/** More tokens than one call may report (the limit is 1e9). */
const MAX_CALL_TOKENS = 1_000_000_001;

describe("edge values through the HTTP API", () => {
  let service: RunningService;
  let client: Api;

  beforeAll(async () => {
    service = await startService();
    client = api(service);
  });

  afterAll(async () => {
    await service?.stop();
  });

  function cost(id: string, model = "gpt-4o") {
    return { id, type: "add_cost", source: "agent", model, cost: 0.5 };
  }

  function post(conversation: string, operations: unknown[]) {
    return client.post<BatchResult & ErrorBody>(
      `/v1/conversations/${conversation}/operations`,
      { operations },
    );
  }

  it("refuses or deduplicates a retried id with a lone surrogate", async () => {
    const id = `op-${LONE_SURROGATE}`;
    const first = await post("lone-id", [cost(id)]);

    if (first.status !== 200) {
      expect(first.status).toBe(422);
      expect(first.body.error.type).toBe("invalid_request");
      return;
    }
    const retry = await post("lone-id", [cost(id)]);
    expect({ status: retry.status, text: retry.text }).toEqual({
      status: 200,
      text: expect.stringContaining(`"duplicates":1`) as unknown,
    });
  });

  it("keeps a model name with a lone surrogate as it was sent", async () => {
    const model = `m-${LONE_SURROGATE}`;
    const first = await post("lone-model", [cost("op-1", model)]);

    if (first.status !== 200) {
      expect(first.status).toBe(422);
      return;
    }
    const log = await client.get<{ operations: { model: string }[] }>(
      "/v1/conversations/lone-model/operations",
    );
    const metrics = await client.get<{ costs: { model: string }[] }>(
      "/v1/conversations/lone-model/metrics",
    );
    expect({
      log: log.body.operations[0]?.model,
      snapshot: metrics.body.costs[0]?.model,
    }).toEqual({ log: model, snapshot: model });
  });

  it("refuses a call whose token count could break exact totals", async () => {
    // Per call at most 1e9 tokens: totals then stay below 2^53, where
    // numbers stop being exact, for millions of calls.
    const operations = [
      {
        id: "t-1",
        type: "add_token_usage",
        source: "agent",
        model: "gpt-4o",
        prompt_tokens: MAX_CALL_TOKENS,
        completion_tokens: 1,
      },
    ];
    const answer = await post("huge-tokens", operations);
    expect(answer.status).toBe(422);
    expect(answer.body.error.message).toContain("prompt_tokens");

    const metrics = await client.get("/v1/conversations/huge-tokens/metrics");
    expect(metrics.status).toBe(404);
  });
});
