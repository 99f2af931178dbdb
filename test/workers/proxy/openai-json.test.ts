import { describe, expect, it } from "vitest";
import { callOpenAi, recordedRequests } from "../llm/fake.js";
import { freshId } from "../helpers.js";
import { freshTag, heldUsd, metricsOf, openAiBody, send } from "./support.js";

// gpt-4o in the bundled table: $2.50 input, $1.25 cached input and $10
// output per million tokens; a context window of 128000.
// 800 uncached + 200 cached prompt tokens and 100 output tokens:
// 800 * 2.5e-6 + 200 * 1.25e-6 + 100 * 10e-6 = 0.00325 USD.
const GPT_4O_CALL = "prompt=1000 cache-read=200 completion=100";
const GPT_4O_CALL_USD = 0.00325;

describe("OpenAI chat completions, not streamed", () => {
  it("records tokens with the prompt inclusive of cached tokens", async () => {
    const id = freshId("oa");
    await send(
      id,
      "chat/completions",
      openAiBody(`${GPT_4O_CALL} reasoning=30`),
    );

    const metrics = await metricsOf(id);
    expect(metrics.accumulated_token_usage).toMatchObject({
      prompt_tokens: 1000,
      completion_tokens: 100,
      cache_read_tokens: 200,
      cache_write_tokens: 0,
      reasoning_tokens: 30,
      context_window: 128000,
    });
    expect(metrics.token_usages[0]?.response_id).toBe("chatcmpl-fake-0001");
  });

  it("records the cost the price table gives", async () => {
    const id = freshId("oa");
    await send(id, "chat/completions", openAiBody(GPT_4O_CALL));

    const metrics = await metricsOf(id);
    expect(metrics.accumulated_cost).toBe(GPT_4O_CALL_USD);
    expect(metrics.costs).toMatchObject([
      { model: "gpt-4o", cost: GPT_4O_CALL_USD, source: "agent" },
    ]);
  });

  it("records the latency and the response id", async () => {
    const id = freshId("oa");
    await send(id, "chat/completions", openAiBody(GPT_4O_CALL));

    const { response_latencies } = await metricsOf(id);
    expect(response_latencies).toHaveLength(1);
    expect(response_latencies[0]?.response_id).toBe("chatcmpl-fake-0001");
    expect(response_latencies[0]?.latency).toBeGreaterThanOrEqual(0);
  });

  it("records the model that answered, not the one asked for", async () => {
    const id = freshId("oa");
    const answered = "gpt-4o-2024-08-06";
    await send(id, "chat/completions", openAiBody(`model=${answered}`));

    const metrics = await metricsOf(id);
    expect(Object.keys(metrics.by_model)).toEqual([answered]);
  });

  it("passes the upstream's body through unchanged", async () => {
    const direct = await callOpenAi({ directives: GPT_4O_CALL });
    const id = freshId("oa");
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody(GPT_4O_CALL),
    );

    const { usage: expected } = await direct.json<{ usage: unknown }>();
    const body = await response.json<{ usage: unknown; choices: unknown }>();
    expect(response.status).toBe(200);
    expect(body.usage).toEqual(expected);
    expect(body.choices).toMatchObject([
      { message: { content: "The fake upstream answers here." } },
    ]);
  });

  it("sends the call's cost and the new total in headers", async () => {
    const id = freshId("oa");
    await send(id, "chat/completions", openAiBody(GPT_4O_CALL));
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody(GPT_4O_CALL),
    );

    expect(response.headers.get("x-metrics-call-cost")).toBe("0.00325");
    expect(response.headers.get("x-metrics-conversation-cost")).toBe("0.0065");
    expect(response.headers.get("x-metrics-conversation-cost-before")).toBe(
      "0.00325",
    );
  });

  it("records an unknown model as unpriced, never as free", async () => {
    const id = freshId("oa");
    const { response } = await send(id, "chat/completions", {
      ...openAiBody(""),
      model: "my-private-model",
    });

    const metrics = await metricsOf(id);
    expect(response.headers.get("x-metrics-call-cost")).toBe("unpriced");
    expect(metrics.unpriced_calls).toBe(1);
    expect(metrics.costs).toEqual([]);
    expect(metrics.accumulated_cost).toBe(0);
  });

  it("lets a cost the upstream reports win over the table", async () => {
    const id = freshId("oa");
    await send(id, "chat/completions", openAiBody(`${GPT_4O_CALL} cost=0.5`));

    expect((await metricsOf(id)).accumulated_cost).toBe(0.5);
  });

  it("lets a PRICE_OVERRIDES price win over the table and the upstream", async () => {
    const id = freshId("oa");
    const overrides = { "gpt-4o": { input_per_mtok: 1, output_per_mtok: 2 } };
    await send(id, "chat/completions", openAiBody(`${GPT_4O_CALL} cost=0.5`), {
      env: { PRICE_OVERRIDES: JSON.stringify(overrides) },
    });

    // Cached tokens default to the input rate: (1000 * 1 + 100 * 2) / 1e6.
    expect((await metricsOf(id)).accumulated_cost).toBe(0.0012);
  });

  it("refuses every call while PRICE_OVERRIDES is invalid", async () => {
    const id = freshId("oa");
    const tag = freshTag();
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody(`tag=${tag}`),
      { env: { PRICE_OVERRIDES: "{not json" } },
    );

    const body = await response.json<{ error: { message: string } }>();
    expect(response.status).toBe(503);
    expect(body).toMatchObject({ error: { type: "invalid_configuration" } });
    expect(body.error.message).toContain("PRICE_OVERRIDES");
    expect(await recordedRequests(tag)).toEqual([]);
  });

  it("records the call under the source X-Metrics-Source names", async () => {
    const id = freshId("oa");
    await send(id, "chat/completions", openAiBody(GPT_4O_CALL), {
      headers: { "x-metrics-source": "condenser" },
    });

    const metrics = await metricsOf(id);
    expect(Object.keys(metrics.by_source)).toEqual(["condenser"]);
    expect(metrics.by_source.condenser?.accumulated_cost).toBe(GPT_4O_CALL_USD);
  });

  it("refuses a bad X-Metrics-Source before contacting the upstream", async () => {
    const id = freshId("oa");
    const tag = freshTag();
    const { response } = await send(
      id,
      "chat/completions",
      openAiBody(`tag=${tag}`),
      {
        headers: { "x-metrics-source": "no spaces allowed" },
      },
    );

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { type: "invalid_request" },
    });
    expect(await recordedRequests(tag)).toEqual([]);
  });

  it("refuses a body without a model, holding nothing", async () => {
    const id = freshId("oa");
    const { response } = await send(id, "chat/completions", {
      messages: [{ role: "user", content: "Hi" }],
    });

    expect(response.status).toBe(422);
    expect(await heldUsd(id)).toBe(0);
  });
});
