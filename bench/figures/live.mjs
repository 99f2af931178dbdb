/**
 * The live feed: how many sockets one conversation holds, opened in steps,
 * and the delay from an operation being accepted to its update reaching
 * every socket. Clients are `ws` sockets in this process, on workerd's own
 * listener (Miniflare's HTTP server on 127.0.0.1).
 */
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { URL } from "node:url";
import { cpuMeter, rssMiB, workerdPids } from "../lib/cpu.mjs";
import { progress } from "../lib/log.mjs";
import { profileRows, profileWhile } from "../lib/profile.mjs";
import { section, table } from "../lib/markdown.mjs";
import { batchBody } from "../lib/operations.mjs";
import { API_KEY, AUTH_JSON, Runtime } from "../lib/runtime.mjs";
import { SocketFleet } from "../lib/sockets.mjs";
import { count, fmt, ms, quantile } from "../lib/stats.mjs";

const CONVERSATION = "live-bench";

/** A pause longer than the feed's 25 ms coalescing window. */
const QUIET_MS = 40;

/** Updates sent while the profiler runs, after the last step. */
const PROFILED_UPDATES = 10;

/** Give up on an update that has not reached every socket by then. */
const UPDATE_TIMEOUT_MS = 30_000;

/**
 * Posts one operation at a time (the bench is the only writer, so each
 * one's seq is the previous plus one) and times its arrival everywhere.
 * @returns {Promise<{fromAccepted: number[], fromSent: number[],
 *   perSocket: number[], error: string | null, seq: number}>}
 */
async function timeUpdates(rt, fleet, seq, updates) {
  const result = {
    fromAccepted: [],
    fromSent: [],
    perSocket: [],
    error: null,
    seq,
  };
  for (let i = 0; i < updates; i++) {
    await sleep(QUIET_MS);
    let sent = 0;
    let accepted = 0;
    const expected = result.seq + 1;

    const times = await fleet.watch(
      expected,
      async () => {
        sent = performance.now();
        const answer = await rt.http(
          "service",
          "POST",
          `/v1/conversations/${CONVERSATION}/operations`,
          AUTH_JSON,
          batchBody(1),
        );
        accepted = performance.now();
        const got = JSON.parse(answer.body).seq;
        if (got !== expected) throw new Error(`seq ${got}, not ${expected}`);
      },
      UPDATE_TIMEOUT_MS,
    );
    if (times === null) {
      result.error = `update ${i + 1} did not reach every socket in time`;
      break;
    }

    result.seq = expected;
    const last = Math.max(...times);
    result.fromAccepted.push(last - accepted);
    result.fromSent.push(last - sent);
    // A sample of the sockets, so the list stays small at 10k sockets.
    const stride = Math.max(1, Math.floor(times.length / 500));
    for (let k = 0; k < times.length; k += stride) {
      result.perSocket.push(times[k] - accepted);
    }
  }
  return result;
}

/**
 * Runs the live figure.
 * @param {{steps: number[], updates: number, openInflight: number,
 *   openTimeoutMs: number}} options
 */
export async function live(options) {
  const rt = new Runtime({ workers: ["service"], inspect: true });
  const steps = [];
  let stoppedBy = null;
  let fleet = null;
  let profile = null;
  try {
    const base = await rt.ready;
    const created = await rt.http(
      "service",
      "POST",
      `/v1/conversations/${CONVERSATION}/operations`,
      AUTH_JSON,
      batchBody(1),
    );
    let seq = JSON.parse(created.body).seq;
    const url = new URL(`/v1/conversations/${CONVERSATION}/ws`, base);
    url.protocol = "ws:";
    fleet = new SocketFleet(url.href, {
      authorization: `Bearer ${API_KEY}`,
    });
    const workerd = workerdPids();

    for (const target of options.steps) {
      progress(`live: opening sockets up to ${count(target)}`);
      const openStart = performance.now();
      const before = fleet.sockets.length;
      const grown = await fleet.grow(
        target,
        options.openInflight,
        options.openTimeoutMs,
      );
      const openSeconds = (performance.now() - openStart) / 1000;
      if (grown.error !== null) {
        stoppedBy = `at ${count(grown.opened)} sockets: ${grown.error}`;
        progress(`live: stopped ${stoppedBy}`);
        break;
      }

      progress(`live: ${options.updates} updates to ${count(target)} sockets`);
      const cpu = cpuMeter(workerd);
      const timed = await timeUpdates(rt, fleet, seq, options.updates);
      const used = cpu();
      seq = timed.seq;
      steps.push({
        sockets: target,
        openRate: (target - before) / openSeconds,
        workerdMiB: workerd.reduce((sum, id) => sum + rssMiB(id), 0),
        dropped: fleet.dropped,
        clientCpuPerUpdate: used.clientMs / options.updates,
        workerdCpuPerUpdate: used.workerdMs / options.updates,
        workerdSystemPerUpdate: used.workerdSystemMs / options.updates,
        ...timed,
      });
      if (timed.error !== null || fleet.dropped > 0) {
        stoppedBy = timed.error ?? `${fleet.dropped} sockets dropped`;
        break;
      }
    }

    if (fleet.sockets.length > 0 && stoppedBy === null) {
      progress(`live: profiling ${PROFILED_UPDATES} updates`);
      const inspector = await rt.mf.getInspectorURL();
      const summary = await profileWhile(inspector, async () => {
        const timed = await timeUpdates(rt, fleet, seq, PROFILED_UPDATES);
        seq = timed.seq;
      });
      profile = {
        ...summary,
        sockets: fleet.sockets.length,
        busyPerUpdate: summary.busyMs / PROFILED_UPDATES,
      };
    }
  } finally {
    await fleet?.close();
    await rt.dispose();
  }
  return report(steps, stoppedBy, profile, options);
}

function profileParts(profile) {
  if (profile === null) return [];
  return [
    `Where the fan-out's time goes: a CPU profile of the service's ` +
      `isolate (workerd's inspector, every 200 µs) over ` +
      `${PROFILED_UPDATES} more updates at ${count(profile.sockets)} ` +
      `sockets; the isolate was busy ${ms(profile.busyPerUpdate)} per ` +
      `update. Self time by function ("(native: runtime API)" is the ` +
      `runtime's code called from JavaScript, such as \`WebSocket.send\`):`,
    table(
      ["function [source]", "share of busy time", "per update"],
      profileRows(profile.functions, profile.busyPerUpdate, 10),
    ),
  ];
}

function report(steps, stoppedBy, profile, options) {
  const rows = steps.map((s) => [
    count(s.sockets),
    fmt(s.openRate),
    fmt(s.workerdMiB),
    `${ms(quantile(s.fromAccepted, 0.5))} / ` +
      `${ms(quantile(s.fromAccepted, 0.99))}`,
    `${ms(quantile(s.fromSent, 0.5))} / ${ms(quantile(s.fromSent, 0.99))}`,
    `${ms(quantile(s.perSocket, 0.5))} / ${ms(quantile(s.perSocket, 0.99))}`,
    `${fmt(s.workerdCpuPerUpdate)} (${fmt(s.workerdSystemPerUpdate)} ` +
      `kernel) / ${fmt(s.clientCpuPerUpdate)}`,
    s.dropped,
  ]);
  const held = steps.at(-1)?.sockets ?? 0;
  const bound = Math.max(...options.steps);
  const end =
    stoppedBy === null
      ? `Every step held; the run stopped at its bound of ${count(bound)} ` +
        `sockets (BENCH_LIVE_STEPS), not at a failure. This process and ` +
        `workerd may each hold ${count(20_000)} file descriptors here ` +
        `(\`ulimit -n\`), which caps one client process near that.`
      : `Stopped ${stoppedBy}.`;

  return {
    held,
    steps,
    markdown: section("Live feed: sockets per conversation and delay", [
      `One conversation; \`ws\` clients in the bench's process connect to ` +
        `workerd's listener (Miniflare's HTTP server on 127.0.0.1, not ` +
        `wrangler dev) with the API key, ${options.openInflight} opening ` +
        `at a time; a socket counts as open when its snapshot frame ` +
        `arrived. At each step ${options.updates} single operations are ` +
        `POSTed one by one, ${QUIET_MS} ms apart (past the 25 ms ` +
        `coalescing window, so each goes out alone), and each one's ` +
        `arrival is timed at every socket. "Accepted" is when the POST's ` +
        `200 reached the client; the update can reach sockets before ` +
        `that, since the object sends it on the next turn after ` +
        `answering. Delays include this process reading n frames one ` +
        `after another on one thread: its CPU per update is shown.`,
      table(
        [
          "sockets",
          "opened/s",
          "workerd RSS MiB",
          "accepted → every socket p50 / p99",
          "sent → every socket p50 / p99",
          "accepted → each socket p50 / p99",
          "CPU ms/update: workerd (of it kernel) / client",
          "dropped",
        ],
        rows,
      ),
      `Held: **${count(held)}** sockets on one conversation. ${end}`,
      ...profileParts(profile),
    ]),
  };
}
