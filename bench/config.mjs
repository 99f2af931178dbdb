/**
 * Every size the benchmark uses, each overridable by an environment
 * variable, so a quick run (`BENCH_GROWTH_LARGE=100000 npm run bench`) or a
 * single figure (`BENCH_ONLY=ingestion npm run bench`) needs no edit.
 */
import { env } from "node:process";

/** @param {string} name @param {number} fallback */
function int(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number >= 0, got "${raw}"`);
  }
  return value;
}

/** @param {string} name @param {number[]} fallback */
function ints(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  return raw.split(",").map((part, i) => {
    const value = Number(part.trim());
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(`${name}[${i}] must be a whole number >= 1`);
    }
    return value;
  });
}

/** The figures in the order they run; the proxy runs last. */
export const FIGURES = [
  "bundle",
  "startup",
  "ingestion",
  "rows",
  "growth",
  "live",
  "proxy",
];

const only = (env.BENCH_ONLY ?? "").split(",").filter((name) => name !== "");
for (const name of only) {
  if (!FIGURES.includes(name)) {
    throw new Error(`BENCH_ONLY names "${name}"; known: ${FIGURES.join()}`);
  }
}

/** The benchmark's configuration. */
export const config = {
  /** Figures to run; all when BENCH_ONLY is unset. */
  figures: only.length > 0 ? only : FIGURES,
  startup: {
    /** New Miniflare instances per worker (service, no-op). */
    runs: int("BENCH_STARTUP_RUNS", 5),
  },
  ingestion: {
    inflight: ints("BENCH_INGEST_INFLIGHT", [1, 16, 64]),
    batchSize: int("BENCH_BATCH_SIZE", 100),
    /** Measured seconds per run; each run has a short warm-up first. */
    seconds: Number(env.BENCH_INGEST_SECONDS ?? 1.5),
    /** Service and no-op alternate this many times per setting. */
    rounds: int("BENCH_INGEST_ROUNDS", 3),
  },
  rows: {
    singles: int("BENCH_ROWS_SINGLES", 200),
    batches: int("BENCH_ROWS_BATCHES", 20),
  },
  growth: {
    small: int("BENCH_GROWTH_SMALL", 1_000),
    large: int("BENCH_GROWTH_LARGE", 1_000_000),
    /** Operations per request while filling (the API's maximum). */
    batchSize: int("BENCH_GROWTH_BATCH", 1_000),
    fillInflight: int("BENCH_GROWTH_INFLIGHT", 2),
    snapshotReads: int("BENCH_SNAPSHOT_READS", 200),
    /** Restarts of the runtime on the same storage, to time a wake. */
    restarts: int("BENCH_WAKE_RESTARTS", 6),
  },
  live: {
    /** Socket counts to reach, in order; stops at the first failure. */
    steps: ints("BENCH_LIVE_STEPS", [1_000, 2_000, 5_000, 10_000]),
    /** Single-operation posts timed at each step. */
    updates: int("BENCH_LIVE_UPDATES", 30),
    openInflight: int("BENCH_LIVE_OPEN_INFLIGHT", 64),
    /** Give up on a step when sockets are not all open by then. */
    openTimeoutMs: int("BENCH_LIVE_OPEN_TIMEOUT_MS", 120_000),
  },
  proxy: {
    calls: int("BENCH_PROXY_CALLS", 300),
  },
};
