/** What a result depends on: the machine, its load, the runtime. */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { version } from "node:process";
import { URL } from "node:url";

/**
 * The machine as RESULTS.md records it.
 * @returns {{cpu: string, nproc: number, memGiB: number, node: string}}
 */
export function machine() {
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    nproc: availableParallelism(),
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: version,
  };
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function load() {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");
}

/**
 * The versions of the runtime packages, from their package.json files.
 * @param {string[]} names
 */
export function packageVersions(names) {
  return names.map((name) => {
    const path = new URL(
      `../../node_modules/${name}/package.json`,
      import.meta.url,
    );
    const { version: v } = JSON.parse(readFileSync(path, "utf8"));
    return `${name} ${v}`;
  });
}
