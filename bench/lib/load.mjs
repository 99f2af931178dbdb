/**
 * A closed-loop load generator: `inflight` loops, each sending its next
 * request when the previous one answered, for a fixed time.
 */
import { performance } from "node:perf_hooks";

/**
 * @typedef {object} LoadResult
 * @property {number} requests answered in the measured window
 * @property {number} seconds the measured window
 * @property {number} rate requests per second
 * @property {number[]} latencies of each answered request (ms)
 */

/**
 * Sends requests for `warmupMs` (not counted), then for `seconds`.
 * Any answer but 200 stops the run with an error: a benchmark of failing
 * requests measures nothing.
 * @param {() => Promise<{status: number, body: string}>} send one
 *   request, its body read
 * @param {{inflight: number, seconds: number, warmupMs?: number}} options
 * @returns {Promise<LoadResult>}
 */
export async function closedLoop(send, options) {
  const warmupEnd = performance.now() + (options.warmupMs ?? 300);
  const end = warmupEnd + options.seconds * 1000;
  const latencies = [];

  const loop = async () => {
    for (let now = performance.now(); now < end; now = performance.now()) {
      const answer = await send();
      if (answer.status !== 200) {
        throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
      }
      // Completions inside the window give the rate in a steady state.
      const done = performance.now();
      if (done >= warmupEnd && done <= end) latencies.push(done - now);
    }
  };
  await Promise.all(Array.from({ length: options.inflight }, loop));

  return {
    requests: latencies.length,
    seconds: options.seconds,
    rate: latencies.length / options.seconds,
    latencies,
  };
}

/**
 * Times `count` requests one after another.
 * @param {() => Promise<{status: number, body: string}>} send
 * @param {number} count
 * @returns {Promise<number[]>} latencies (ms)
 */
export async function timeSequential(send, count) {
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const answer = await send();
    if (answer.status !== 200) {
      throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
    }
    latencies.push(performance.now() - started);
  }
  return latencies;
}
