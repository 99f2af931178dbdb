import { describe, expect, it } from "vitest";
import {
  MAX_COST_USD,
  MAX_OPERATIONS_PER_BATCH,
  MAX_TOKENS,
} from "../../../src/operations/schema.js";
import { validateBatch } from "../../../src/operations/validate.js";
import * as limits from "../../../src/client/limits.js";
import { openConversation } from "../../../src/client/index.js";
import { scriptedFetch, STORED } from "./support/scripted-fetch.js";

describe("the client's copy of the service's limits", () => {
  it("matches src/operations/schema.ts", () => {
    expect({
      batch: limits.MAX_OPERATIONS_PER_BATCH,
      cost: limits.MAX_COST_USD,
      tokens: limits.MAX_TOKENS,
    }).toEqual({
      batch: MAX_OPERATIONS_PER_BATCH,
      cost: MAX_COST_USD,
      tokens: MAX_TOKENS,
    });
  });

  it("lets only operations the service's schema accepts be sent", async () => {
    const { fetch, calls } = scriptedFetch(() => STORED);
    const conversation = openConversation({
      baseUrl: "http://127.0.0.1:9",
      conversationId: "c-limits",
      apiKey: "unit-key",
      fetch,
    });

    const agent = conversation.metrics("title_generator", "gpt-4o-mini");
    agent.addCost(MAX_COST_USD);
    agent.addCost(0);
    agent.addResponseLatency(-1, "r".repeat(256));
    agent.addTokenUsage({
      prompt_tokens: MAX_TOKENS,
      completion_tokens: 0,
      reasoning_tokens: 3,
    });
    agent.addUnpricedCall("r2");
    await conversation.flush();

    const body = JSON.parse(calls[0]?.init.body ?? "null") as unknown;
    expect(validateBatch(body)).toMatchObject({ ok: true });
  });
});
