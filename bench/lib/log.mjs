/** Progress lines on stdout, so a long run shows where it is. */
import { stdout } from "node:process";
import { performance } from "node:perf_hooks";

const started = performance.now();

/**
 * Prints one progress line, prefixed with the seconds since the start.
 * @param {string} text
 */
export function progress(text) {
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  stdout.write(`[bench ${seconds.padStart(6)} s] ${text}\n`);
}
