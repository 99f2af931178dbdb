/**
 * The ingestion figure's part of RESULTS.md: rates against the no-op for
 * each client, the breakdown, what the goals leave our code, and the
 * profiles. See ingestion.mjs for how the numbers are measured.
 */
import { section, table, verdict } from "../lib/markdown.mjs";
import { profileRows } from "../lib/profile.mjs";
import { fmt, ms, ratio } from "../lib/stats.mjs";

/** Single operations must reach this share of the no-op request rate. */
export const SINGLE_GOAL_RATIO = 0.9;

/** Batches must reach this many operations per second. */
export const BATCH_GOAL_OPS = 50_000;

/** The clients measured, by key, as the tables name them. */
export const CLIENTS = {
  dispatch: "`dispatchFetch`",
  http: "node:http, kept alive",
};

function goalsOf(results, client) {
  const mine = results.filter((r) => r.client === client);
  const ratios = mine
    .filter((r) => r.kind === "single")
    .map((r) => r.service.rate / r.noop.rate);
  const opsRates = mine
    .filter((r) => r.kind === "batch")
    .map((r) => r.service.rate * r.size);
  return {
    single: ratios.every((r) => r >= SINGLE_GOAL_RATIO),
    singleDetail: `${ratio(Math.min(...ratios))} to ${ratio(Math.max(...ratios))}`,
    batch: opsRates.every((r) => r >= BATCH_GOAL_OPS),
    batchDetail:
      `${fmt(Math.min(...opsRates))} to ${fmt(Math.max(...opsRates))} ` +
      `ops/s`,
  };
}

function rateTable(results, client) {
  const rows = results
    .filter((r) => r.client === client)
    .map((r) => [
      r.size,
      r.inflight,
      fmt(r.noop.rate),
      fmt(r.service.rate),
      fmt(r.service.rate * r.size),
      ratio(r.service.rate / r.noop.rate),
      r.kind === "single"
        ? r.service.rate / r.noop.rate >= SINGLE_GOAL_RATIO
          ? "met"
          : "missed"
        : r.service.rate * r.size >= BATCH_GOAL_OPS
          ? "met"
          : "missed",
    ]);
  return table(
    [
      "ops/request",
      "in flight",
      "no-op requests/s",
      "service requests/s",
      "service ops/s",
      "service vs no-op",
      "goal",
    ],
    rows,
  );
}

function breakdownTable(results) {
  const rows = results.map((r) => [
    CLIENTS[r.client],
    r.size,
    r.inflight,
    `${ms(r.noop.p50)} / ${ms(r.probe.p50)} / ${ms(r.service.p50)}`,
    `${ms(r.noop.p99)} / ${ms(r.probe.p99)} / ${ms(r.service.p99)}`,
    `${fmt(r.noop.workerdCpuMs)} / ${fmt(r.probe.workerdCpuMs)} / ` +
      `${fmt(r.service.workerdCpuMs)}`,
    `${fmt(r.noop.clientCpuMs)} / ${fmt(r.service.clientCpuMs)}`,
    ratio(r.probe.rate / r.noop.rate),
    fmt(r.service.logLines, 2),
  ]);
  return table(
    [
      "client",
      "ops/request",
      "in flight",
      "p50 no-op / probe / service",
      "p99 no-op / probe / service",
      "workerd CPU ms/request no-op / probe / service",
      "client CPU ms/request no-op / service",
      "probe vs no-op",
      "log lines/request",
    ],
    rows,
  );
}

function profileParts(profiles) {
  return Object.values(profiles).flatMap((p) => [
    `${p.size} operation(s) per request: the isolate was busy ` +
      `${ms(p.busyPerRequest)} per request ` +
      `(${fmt((p.busyPerRequest * 1000) / p.size)} µs per operation).`,
    table(
      ["source", "share of busy time", "per request"],
      profileRows(p.modules, p.busyPerRequest, 10),
    ),
    table(
      ["function [source]", "share of busy time", "per request"],
      profileRows(p.functions, p.busyPerRequest, 15),
    ),
  ]);
}

/**
 * The budget each goal leaves our code, from the kept-alive client's CPU
 * per request at 16 in flight: on this machine one workerd thread runs
 * the entry worker, the service and its object, so its CPU per request
 * bounds the request rate.
 */
function budgetNote(results, options) {
  const at = (kind) =>
    results.find(
      (r) => r.client === "http" && r.kind === kind && r.inflight === 16,
    ) ?? results.find((r) => r.client === "http" && r.kind === kind);
  const single = at("single");
  const batch = at("batch");
  if (single === undefined || batch === undefined) return [];

  const ours = (r) => r.service.workerdCpuMs - r.noop.workerdCpuMs;
  const objects = (r) => r.probe.workerdCpuMs - r.noop.workerdCpuMs;
  const allowedSingle = single.noop.workerdCpuMs * (1 / SINGLE_GOAL_RATIO - 1);
  const batchBudget = (1000 * options.batchSize) / BATCH_GOAL_OPS;
  const batchOurs = batchBudget - batch.noop.workerdCpuMs;
  return [
    `### What the goals leave our code`,
    `From the kept-alive rows at ${single.inflight} in flight (workerd ` +
      `CPU per request; here one workerd thread runs the entry worker, ` +
      `the service's Worker and its object, so that CPU bounds the rate):`,
    table(
      [
        "",
        "no-op",
        "service",
        "ours (service − no-op)",
        "of it: object (probe − no-op)",
        "of it: Worker layers (service − probe)",
        "the goal allows ours",
      ],
      [
        [
          "1 op/request",
          ms(single.noop.workerdCpuMs),
          ms(single.service.workerdCpuMs),
          ms(ours(single)),
          ms(objects(single)),
          ms(ours(single) - objects(single)),
          `${ms(allowedSingle)} (${SINGLE_GOAL_RATIO}x the no-op rate)`,
        ],
        [
          `${batch.size} ops/request`,
          ms(batch.noop.workerdCpuMs),
          ms(batch.service.workerdCpuMs),
          `${ms(ours(batch))} (${fmt((ours(batch) * 1000) / batch.size)} µs/op)`,
          ms(objects(batch)),
          ms(ours(batch) - objects(batch)),
          `${ms(batchOurs)} (${fmt((batchOurs * 1000) / batch.size)} µs/op: ` +
            `${fmt(BATCH_GOAL_OPS / batch.size)} requests/s in ` +
            `${ms(batchBudget)} each)`,
        ],
      ],
    ),
    `In production the Worker and the object run apart, so only the ` +
      `object's share limits one conversation's rate; here both share ` +
      `one thread.`,
  ];
}

/**
 * The section and the goals.
 * @param {object[]} results one per client, kind and number in flight
 * @param {Record<string, object>} profiles by kind
 * @param {{batchSize: number, seconds: number, rounds: number}} options
 */
export function report(results, profiles, options) {
  const dispatch = goalsOf(results, "dispatch");
  const http = goalsOf(results, "http");
  const singleGoal = `single operations >= ${SINGLE_GOAL_RATIO}x the no-op`;
  const batchGoal = `batches of ${options.batchSize} >= ${fmt(BATCH_GOAL_OPS)} ops/s`;

  return {
    goals: [
      {
        name: `${singleGoal} (dispatchFetch)`,
        met: dispatch.single,
        detail: dispatch.singleDetail,
      },
      {
        name: `${batchGoal} (dispatchFetch)`,
        met: dispatch.batch,
        detail: dispatch.batchDetail,
      },
      {
        name: `${singleGoal} (kept-alive client)`,
        met: http.single,
        detail: http.singleDetail,
      },
      {
        name: `${batchGoal} (kept-alive client)`,
        met: http.batch,
        detail: http.batchDetail,
      },
    ],
    results,
    markdown: section("Ingestion into one conversation", [
      `Closed loop: each of N loops sends its next request when the ` +
        `previous one answered. Each setting runs ${options.rounds} ` +
        `rounds of ${options.seconds} s (after a 0.3 s warm-up) of the ` +
        `no-op, the probe and the service in turn; rates are the medians ` +
        `of the rounds. Every request carries the same body (N ` +
        `\`add_cost\` operations with fresh ids) into one conversation. ` +
        `The no-op reads the body and calls a SQLite-backed object that ` +
        `does nothing. The probe calls the service's own object's ` +
        `\`apply\` directly, skipping the Worker's layers (Hono, the key ` +
        `check, reading, validation, the request log).`,
      `### Through \`dispatchFetch\` (the issue's figure)`,
      rateTable(results, "dispatch"),
      `Single operations at >= ${SINGLE_GOAL_RATIO}x the no-op rate at ` +
        `every setting: ${verdict(dispatch.single)}. Batches at >= ` +
        `${fmt(BATCH_GOAL_OPS)} ops/s at every setting: ` +
        `${verdict(dispatch.batch)}.`,
      `### Through a kept-alive node:http client on workerd's listener`,
      `\`dispatchFetch\` opens a new TCP connection per request (Miniflare ` +
        `sets undici's \`reset\`) and runs undici's fetch; the client CPU ` +
        `column below shows what that costs the load generator, which ` +
        `shares the two cores with workerd. The same workerd, the same ` +
        `entry worker and routes, reached with a light client:`,
      rateTable(results, "http"),
      `Single operations at >= ${SINGLE_GOAL_RATIO}x: ` +
        `${verdict(http.single)}. Batches at >= ${fmt(BATCH_GOAL_OPS)} ` +
        `ops/s: ${verdict(http.batch)}.`,
      `### Breakdown`,
      `Latency per request over all rounds; CPU per request from /proc ` +
        `(utime + stime, 10 ms ticks, over each whole run, divided by the ` +
        `requests sent); "workerd" is every workerd process of this run ` +
        `(the entry worker, the service and its object share them).`,
      breakdownTable(results),
      ...budgetNote(results, options),
      `### Where the time goes: a CPU profile of the service's isolate`,
      `Taken through workerd's inspector (sampling every 200 µs) in a ` +
        `runtime of its own, 16 requests in flight through the kept-alive ` +
        `client for 3 s. Self time by source file and by function, as ` +
        `shares of the isolate's busy (non-idle) samples; "(program)" is ` +
        `the runtime's own work on the isolate's thread (HTTP, RPC, ` +
        `serialisation), "(native: runtime API)" the Workers APIs called ` +
        `from JavaScript (SQLite's \`exec\`, \`transactionSync\`, ` +
        `\`crypto.subtle\`, \`console.log\`, Response). A sampling ` +
        `profile with the inspector attached runs slower than the plain ` +
        `runs above and attributes inlined code to its caller, so read ` +
        `the shares, not the absolute times, and only the larger ones.`,
      ...profileParts(profiles),
    ]),
  };
}
