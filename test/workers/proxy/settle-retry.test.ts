import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CallBudget } from "../../../src/proxy/call-budget.js";
import { freshId } from "../helpers.js";
import { heldUsd, metricsOf } from "./support.js";

type Stub = ReturnType<Env["CONVERSATIONS"]["get"]>;

/**
 * Bindings whose conversation stubs settle for real and then throw, the
 * first `failures` times: as when the object restarts after committing
 * but before its reply reaches the Worker.
 */
function lostReplies(failures: number): Env {
  let failed = 0;
  const namespace = env.CONVERSATIONS;
  const flaky = {
    idFromName: (name: string) => namespace.idFromName(name),
    get(id: DurableObjectId): Stub {
      const stub = namespace.get(id);
      if (failed >= failures) return stub;
      return {
        reserve: (...args: Parameters<Stub["reserve"]>) =>
          stub.reserve(...args),
        async settle(...args: Parameters<Stub["settle"]>) {
          await stub.settle(...args);
          failed++;
          throw new Error("the object restarted");
        },
      } as unknown as Stub;
    },
  };
  return { ...env, CONVERSATIONS: flaky } as unknown as Env;
}

function costOps(budget: CallBudget) {
  return [
    {
      id: `${budget.reservationId}:cost`,
      type: "add_cost" as const,
      source: "agent",
      model: "gpt-4o",
      cost: 0.25,
    },
  ];
}

async function reserved(bindings: Env, id: string): Promise<CallBudget> {
  const budget = new CallBudget(bindings, id);
  await budget.reserve({
    source: "agent",
    model: "gpt-4o",
    nanos: 500_000_000,
    timeoutMs: 1000,
  });
  return budget;
}

describe("settling a call", () => {
  it("retries when the RPC throws, counting the call once", async () => {
    const id = freshId("settle");
    const budget = await reserved(lostReplies(2), id);

    const total = await budget.settle(costOps(budget));

    expect(total).toBe(250_000_000);
    expect((await metricsOf(id)).accumulated_cost).toBe(0.25);
    expect(await heldUsd(id)).toBe(0);
  });

  it("gives up after three attempts, reporting the total as unknown", async () => {
    const id = freshId("settle");
    const budget = await reserved(lostReplies(3), id);

    // Every attempt committed before it threw: still counted once.
    expect(await budget.settle(costOps(budget))).toBeNull();
    expect((await metricsOf(id)).accumulated_cost).toBe(0.25);
  });
});
