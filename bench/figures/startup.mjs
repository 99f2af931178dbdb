/**
 * Start-up: from `new Miniflare(...)` to the first answered request that
 * reaches a Durable Object, for the service and for the no-op worker,
 * alternating so both see the same machine load.
 */
import { performance } from "node:perf_hooks";
import { progress } from "../lib/log.mjs";
import { section, table } from "../lib/markdown.mjs";
import { batchBody } from "../lib/operations.mjs";
import { AUTH_JSON, Runtime } from "../lib/runtime.mjs";
import { median, ms, ratio } from "../lib/stats.mjs";

/** What is started, and the request that proves it answers. */
const VARIANTS = {
  service: {
    label: "service (bundle listed as its one module)",
    options: { workers: ["service"] },
    path: "/v1/conversations/startup/operations",
  },
  serviceScriptPath: {
    label: "service (`modules: true`, `scriptPath`)",
    options: { workers: ["service"], scriptPath: true },
    path: "/v1/conversations/startup/operations",
  },
  noop: {
    label: "no-op worker",
    options: { workers: ["noop"] },
    path: "/noop/startup",
  },
};

/**
 * Starts one runtime, times its first request, stops it.
 * @param {keyof typeof VARIANTS} name
 */
async function startOnce(name) {
  const variant = VARIANTS[name];
  const started = performance.now();
  const runtime = new Runtime(variant.options);
  try {
    await runtime.ready;
    const ready = performance.now();

    const worker = name === "noop" ? "noop" : "service";
    const response = await runtime.fetch(worker, variant.path, {
      method: "POST",
      headers: AUTH_JSON,
      body: batchBody(1),
    });
    await response.text();
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    const answered = performance.now();

    return { ready: ready - started, first: answered - started };
  } finally {
    await runtime.dispose();
  }
}

/**
 * Runs the start-up figure.
 * @param {{runs: number}} options
 */
export async function startup(options) {
  const names = /** @type {Array<keyof typeof VARIANTS>} */ (
    Object.keys(VARIANTS)
  );
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let run = 1; run <= options.runs; run++) {
    progress(`start-up ${run}/${options.runs}: ${names.join(", ")}`);
    for (const name of names) samples[name].push(await startOnce(name));
  }

  const summary = Object.fromEntries(
    names.map((name) => [
      name,
      {
        ready: median(samples[name].map((s) => s.ready)),
        first: median(samples[name].map((s) => s.first)),
      },
    ]),
  );
  const noop = summary.noop;
  progress(
    `start-up: service ${ms(summary.service.first)}, ` +
      `no-op ${ms(noop.first)}`,
  );

  const rows = names.map((name) => [
    VARIANTS[name].label,
    ms(summary[name].ready),
    ms(summary[name].first),
    ratio(summary[name].first / noop.first),
  ]);
  return {
    summary,
    markdown: section("Start-up", [
      `Time from \`new Miniflare(...)\` to the answer of the first ` +
        `request that reaches a Durable Object (the service: one ` +
        `operation POSTed; the no-op worker: one POST to its object), ` +
        `median of ${options.runs} fresh starts each, in turn. "runtime ` +
        `ready" is when workerd answered Miniflare's readiness check, ` +
        `before the first request.`,
      table(["started", "runtime ready", "first answer", "vs no-op"], rows),
      `The service's own start is the first row minus the no-op's: ` +
        `${ms(summary.service.first - noop.first)}. Given ` +
        `\`scriptPath\`, Miniflare itself parses the bundle in Node ` +
        `before workerd starts (${ms(
          summary.serviceScriptPath.ready - summary.service.ready,
        )} more here); production has no such step, so the other ` +
        `figures list the bundle as its one module.`,
    ]),
  };
}
