/**
 * Ingestion into one conversation: operations per second with one
 * operation per request and with batches, at several numbers of requests
 * in flight, against the no-op request measured in the same run.
 *
 * Two clients: `dispatchFetch` (the figure the issue asks for) and a
 * kept-alive node:http client on workerd's listener, which costs the load
 * generator far less CPU per request. The probe (the service's object
 * called directly) splits the service's cost into the Worker's layers and
 * the object's work, and /proc gives the CPU each side spent per request.
 */
import { cpuMeter, workerdPids } from "../lib/cpu.mjs";
import { closedLoop } from "../lib/load.mjs";
import { progress } from "../lib/log.mjs";
import { batchBody } from "../lib/operations.mjs";
import { profileWhile } from "../lib/profile.mjs";
import { AUTH_JSON, Runtime } from "../lib/runtime.mjs";
import { fmt, median, quantile } from "../lib/stats.mjs";
import { CLIENTS, report } from "./ingestion-report.mjs";

/** The three ways in, each sent the same body. */
const TARGETS = {
  noop: (send, kind, body) =>
    send("noop", "POST", `/noop/in-${kind}`, {}, body),
  probe: (send, kind, body) =>
    send("probe", "POST", `/apply/probe-${kind}`, {}, body),
  service: (send, kind, body) =>
    send(
      "service",
      "POST",
      `/v1/conversations/ingest-${kind}/operations`,
      AUTH_JSON,
      body,
    ),
};

/**
 * Runs every target at one setting, `rounds` times in turn.
 * @returns {Promise<Record<string, object>>} per target: the median rate
 *   over the rounds, latency quantiles, CPU per request on each side
 */
async function measureSetting(rt, setting, options) {
  const workerd = workerdPids();
  const runs = { noop: [], probe: [], service: [] };
  for (let round = 1; round <= options.rounds; round++) {
    for (const [name, target] of Object.entries(TARGETS)) {
      const send = rt[setting.client];
      const linesBefore = rt.logLines;
      const cpu = cpuMeter(workerd);
      const result = await closedLoop(
        () => target(send, setting.kind, batchBody(setting.size)),
        { inflight: setting.inflight, seconds: options.seconds },
      );
      runs[name].push({
        ...result,
        ...cpu(),
        lines: rt.logLines - linesBefore,
      });
    }
  }

  const summary = {};
  for (const [name, list] of Object.entries(runs)) {
    const latencies = list.flatMap((run) => run.latencies);
    // CPU and log lines cover the warm-up too, so divide by every request
    // sent, estimated from the rate over the whole run.
    const sent = list.reduce(
      (sum, run) => sum + run.rate * (run.seconds + 0.3),
      0,
    );
    const total = (key) => list.reduce((sum, run) => sum + run[key], 0);
    summary[name] = {
      rate: median(list.map((run) => run.rate)),
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      clientCpuMs: total("clientMs") / sent,
      workerdCpuMs: total("workerdMs") / sent,
      logLines: total("lines") / sent,
    };
  }
  return summary;
}

/**
 * Profiles the service's isolate (workerd's inspector) while single
 * operations, then batches, go in through the kept-alive client, in a
 * runtime of its own so the inspector slows no other measurement.
 */
async function profileIngestion(options) {
  const rt = new Runtime({ workers: ["service"], inspect: true });
  const profiles = {};
  try {
    await rt.ready;
    const inspector = await rt.mf.getInspectorURL();
    for (const [kind, size] of [
      ["single", 1],
      ["batch", options.batchSize],
    ]) {
      progress(`ingestion: profiling ${size} op(s)/request, 16 in flight`);
      const send = () =>
        TARGETS.service(rt.http, `profile-${kind}`, batchBody(size));
      await closedLoop(send, { inflight: 16, seconds: 1 });
      let load;
      const summary = await profileWhile(inspector, async () => {
        load = await closedLoop(send, { inflight: 16, seconds: 3 });
      });
      // The profile spans the warm-up too: 3.3 s of requests.
      const requests = load.rate * 3.3;
      profiles[kind] = {
        ...summary,
        size,
        busyPerRequest: summary.busyMs / requests,
      };
    }
  } finally {
    await rt.dispose();
  }
  return profiles;
}

/**
 * Runs the ingestion figure.
 * @param {{inflight: number[], batchSize: number, seconds: number,
 *   rounds: number}} options
 */
export async function ingestion(options) {
  const rt = new Runtime({ workers: ["service", "noop", "probe"] });
  const results = [];
  try {
    await rt.ready;
    for (const client of Object.keys(CLIENTS)) {
      for (const [kind, size] of [
        ["single", 1],
        ["batch", options.batchSize],
      ]) {
        for (const inflight of options.inflight) {
          progress(
            `ingestion (${client}): ${size} op(s)/request, ${inflight} ` +
              `in flight, ${options.rounds} rounds of no-op, probe, service`,
          );
          const setting = { client, kind, size, inflight };
          const summary = await measureSetting(rt, setting, options);
          results.push({ ...setting, ...summary });
          progress(
            `  service ${fmt(summary.service.rate * size)} ops/s, ` +
              `no-op ${fmt(summary.noop.rate)} requests/s`,
          );
        }
      }
    }
  } finally {
    await rt.dispose();
  }
  const profiles = await profileIngestion(options);
  return report(results, profiles, options);
}
