/**
 * The cost of growth: reading a snapshot and waking a conversation from
 * storage, after a small and a large number of operations, side by side
 * with the no-op object. The storage is kept on disk and the runtime is
 * restarted on it to time a wake.
 */
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { Buffer } from "node:buffer";
import { fileURLToPath, URL } from "node:url";
import { timeSequential } from "../lib/load.mjs";
import { progress } from "../lib/log.mjs";
import { section, table } from "../lib/markdown.mjs";
import { batchBody } from "../lib/operations.mjs";
import { AUTH_JSON, Runtime } from "../lib/runtime.mjs";
import { count, fmt, median, ms, quantile, ratio } from "../lib/stats.mjs";

const STATE_DIR = fileURLToPath(
  new URL("../.out/growth-state", import.meta.url),
);

/** A stored conversation woken first after each restart, untimed. */
const WARM_UP = "growth-warm-up";

/** Reads that are timed: the no-op and each conversation's snapshot. */
function readers(sizes) {
  return {
    noop: (send) => send("noop", "GET", "/noop/growth-read"),
    ...Object.fromEntries(
      sizes.map((size) => [
        size,
        (send) =>
          send("service", "GET", `/v1/conversations/growth-${size}/metrics`, {
            authorization: AUTH_JSON.authorization,
          }),
      ]),
    ),
  };
}

/**
 * Fills one conversation with `total` operations in batches, several in
 * flight, and reports the write rate at the start and at the end.
 */
async function fill(rt, size, options) {
  const batch = Math.min(options.batchSize, size);
  const requests = Math.ceil(size / batch);
  const tenth = Math.max(1, Math.floor(requests / 10));
  const times = [];
  let next = 0;

  const loop = async () => {
    while (next < requests) {
      const index = next++;
      const ops = Math.min(batch, size - index * batch);
      const answer = await rt.http(
        "service",
        "POST",
        `/v1/conversations/growth-${size}/operations`,
        AUTH_JSON,
        batchBody(ops),
      );
      if (answer.status !== 200) throw new Error(answer.body);
      times[index] = performance.now();
      if ((index + 1) % tenth === 0) {
        progress(`  growth-${size}: ${count((index + 1) * batch)} ops`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: options.fillInflight }, loop));

  // Ops/s over the first and the last tenth of the requests.
  const rate = (from, to) =>
    ((to - from) * batch) /
    ((times[to - 1] - (times[from - 1] ?? started)) / 1000);
  return {
    seconds: (performance.now() - started) / 1000,
    firstRate: rate(0, tenth),
    lastRate: rate(requests - tenth, requests),
  };
}

/** Times `reads` of each reader, interleaved in chunks, with one client. */
async function timeReads(send, sizes, reads) {
  const all = readers(sizes);
  const samples = Object.fromEntries(Object.keys(all).map((k) => [k, []]));
  const chunk = Math.max(1, Math.ceil(reads / 5));
  for (let done = 0; done < reads; done += chunk) {
    for (const [name, read] of Object.entries(all)) {
      const n = Math.min(chunk, reads - done);
      samples[name].push(...(await timeSequential(() => read(send), n)));
    }
  }
  return samples;
}

/** Restarts the runtime and times each first read, cold, then warm. */
async function timeWakes(sizes, restarts) {
  const wakes = { noop: [], ...Object.fromEntries(sizes.map((s) => [s, []])) };
  const warm = { noop: [], ...Object.fromEntries(sizes.map((s) => [s, []])) };
  for (let run = 1; run <= restarts; run++) {
    progress(`  wake ${run}/${restarts}: restart workerd on the same storage`);
    const rt = new Runtime({
      workers: ["service", "noop"],
      persistDir: STATE_DIR,
    });
    try {
      await rt.ready;
      // Load the scripts and wake one stored object of each class
      // first, so only the measured objects are cold.
      await rt.http("service", "GET", "/healthz");
      await rt.http("noop", "GET", "/noop/warm-up");
      await rt.http("service", "GET", `/v1/conversations/${WARM_UP}/metrics`, {
        authorization: AUTH_JSON.authorization,
      });

      const all = readers(sizes);
      all.noop = (send) => send("noop", "GET", `/noop/wake-${run}`);
      const order = Object.keys(all);
      // Rotate the order so no one is always first after the restart.
      for (let i = 0; i < order.length; i++) {
        const name = order[(i + run) % order.length];
        const [cold] = await timeSequential(() => all[name](rt.http), 1);
        const [again] = await timeSequential(() => all[name](rt.http), 1);
        wakes[name].push(cold);
        warm[name].push(again);
      }
    } finally {
      await rt.dispose();
    }
  }
  return { wakes, warm };
}

/** Bytes of every file under a folder. */
function folderBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? folderBytes(path) : statSync(path).size;
  }
  return total;
}

/**
 * Runs the growth figure.
 * @param {{small: number, large: number, batchSize: number,
 *   fillInflight: number, snapshotReads: number, restarts: number}} options
 */
export async function growth(options) {
  const sizes = [options.small, options.large];
  rmSync(STATE_DIR, { recursive: true, force: true });

  const rt = new Runtime({
    workers: ["service", "noop"],
    persistDir: STATE_DIR,
  });
  const fills = {};
  let reads;
  let snapshotBytes = {};
  try {
    await rt.ready;
    await rt.http(
      "service",
      "POST",
      `/v1/conversations/${WARM_UP}/operations`,
      AUTH_JSON,
      batchBody(1),
    );
    for (const size of sizes) {
      progress(`growth: filling a conversation with ${count(size)} operations`);
      fills[size] = await fill(rt, size, options);
    }
    progress(
      `growth: ${options.snapshotReads} snapshot reads of each, two clients`,
    );
    reads = {
      http: await timeReads(rt.http, sizes, options.snapshotReads),
      dispatch: await timeReads(rt.dispatch, sizes, options.snapshotReads),
    };
    for (const size of sizes) {
      const answer = await readers(sizes)[size](rt.http);
      snapshotBytes[size] = Buffer.byteLength(answer.body);
    }
  } finally {
    await rt.dispose();
  }
  const storedBytes = folderBytes(STATE_DIR);

  progress(`growth: ${options.restarts} restarts to time a wake`);
  const wakes = await timeWakes(sizes, options.restarts);
  rmSync(STATE_DIR, { recursive: true, force: true });

  return report(
    { sizes, fills, reads, snapshotBytes, storedBytes, wakes },
    options,
  );
}

function report(data, options) {
  const { sizes, fills, reads, wakes } = data;
  const [small, large] = sizes;
  const readRows = [];
  for (const [client, label] of [
    ["http", "node:http, kept alive"],
    ["dispatch", "`dispatchFetch`"],
  ]) {
    const samples = reads[client];
    const base = median(samples.noop);
    for (const name of ["noop", ...sizes]) {
      readRows.push([
        label,
        name === "noop" ? "no-op object" : `${count(Number(name))} ops`,
        ms(median(samples[name])),
        ms(quantile(samples[name], 0.99)),
        ratio(median(samples[name]) / base),
      ]);
    }
  }
  const readRatio = median(reads.http[large]) / median(reads.http[small]);

  const wakeRows = ["noop", ...sizes].map((name) => [
    name === "noop" ? "no-op object" : `${count(Number(name))} ops`,
    ms(median(wakes.wakes[name])),
    ms(median(wakes.warm[name])),
    ms(Math.max(...wakes.wakes[name])),
  ]);
  const wakeRatio = median(wakes.wakes[large]) / median(wakes.wakes[small]);

  return {
    readRatio,
    wakeRatio,
    markdown: section("Growth: snapshot and wake after many operations", [
      `Two conversations filled through the API with ${count(small)} and ` +
        `${count(large)} \`add_cost\` operations (batches of ` +
        `${options.batchSize}, ${options.fillInflight} in flight, ` +
        `node:http kept alive), stored on disk ` +
        `(\`durableObjectsPersist\`); ${fmt(data.storedBytes / 2 ** 20, 3)} ` +
        `MiB of storage in all. Filling the large one took ` +
        `${fmt(fills[large].seconds)} s: ${fmt(fills[large].firstRate)} ` +
        `ops/s over its first tenth, ${fmt(fills[large].lastRate)} ops/s ` +
        `over its last.`,
      `### Snapshot read (GET …/metrics)`,
      `${options.snapshotReads} sequential reads of each, interleaved in ` +
        `chunks. Snapshot bodies: ${count(data.snapshotBytes[small])} bytes ` +
        `and ${count(data.snapshotBytes[large])} bytes (the lists hold the ` +
        `newest 500 entries).`,
      table(["client", "conversation", "p50", "p99", "p50 vs no-op"], readRows),
      `Large vs small (p50, kept-alive client): **${ratio(readRatio)}**.`,
      `### Wake from storage`,
      `workerd restarted ${options.restarts} times on the same storage ` +
        `folder; after the scripts are loaded and one other object of ` +
        `each class is woken (a /healthz, a no-op request, a read of a ` +
        `one-operation conversation), the first read of each object is ` +
        `timed ("cold"), then a second one ("warm"). The no-op object is ` +
        `a fresh one each time (nothing stored). The order rotates from ` +
        `one restart to the next. Medians:`,
      table(
        ["object", "first read (cold)", "second read (warm)", "worst cold"],
        wakeRows,
      ),
      `Large vs small (cold): **${ratio(wakeRatio)}**.`,
    ]),
  };
}
