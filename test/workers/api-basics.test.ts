import { describe, expect, it } from "vitest";
import { call, costOp, freshId, post } from "./helpers.js";

describe("conversation API", () => {
  it("creates a conversation with a server-chosen id", async () => {
    const res = await call("POST", "/v1/conversations", {
      body: { max_budget_per_task: 5 },
    });
    expect(res.status).toBe(201);
    expect(res.json.conversation_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.max_budget_per_task).toBe(5);
  });

  it("sums costs from three sources exactly", async () => {
    const id = freshId();
    const res = await post(id, [
      costOp(0.01, "draft_editor"),
      costOp(0.02, "condenser"),
      costOp(0.03, "title_generator"),
    ]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ applied: 3, duplicates: 0 });

    const metrics = await call("GET", `/v1/conversations/${id}/metrics`);
    expect(metrics.json.accumulated_cost).toBe(0.06);
  });
});
