import { describe, expect, it } from "vitest";
import { call, costOp, freshId, post } from "./helpers.js";

interface Page {
  operations: { seq: number; id: string; type: string }[];
  next_after: number | null;
}

describe("operation history", () => {
  it("pages every applied operation once, in order", async () => {
    const id = freshId();
    const sent = Array.from({ length: 250 }, (_, i) =>
      i % 2
        ? costOp(0.001)
        : {
            id: crypto.randomUUID(),
            type: "add_response_latency",
            source: "agent",
            model: "gpt-4o",
            latency: i,
          },
    );
    await post(id, sent.slice(0, 125));
    await post(id, sent.slice(125));

    const seen: Page["operations"] = [];
    let after: number | null = 0;
    while (after !== null) {
      const page: { json: Page } = await call<Page>(
        "GET",
        `/v1/conversations/${id}/operations?after=${after}&limit=40`,
      );
      seen.push(...page.json.operations);
      after = page.json.next_after;
    }

    expect(seen.map((op) => op.id)).toEqual(sent.map((op) => op.id));
    expect(seen.map((op) => op.seq)).toEqual(
      Array.from({ length: 250 }, (_, i) => i + 1),
    );
  });

  it("refuses a limit over 1000", async () => {
    const id = freshId();
    await post(id, [costOp(1)]);
    const res = await call<{ error: { type: string } }>(
      "GET",
      `/v1/conversations/${id}/operations?limit=5000`,
    );
    expect(res.status).toBe(422);
    expect(res.json.error.type).toBe("invalid_request");
  });
});
