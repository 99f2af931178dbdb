/**
 * A CPU profile of the service's isolate, taken through workerd's inspector
 * while a load runs, and summed by the source file each sample falls in:
 * wrangler's bundle marks each module with a `// path` comment line, so no
 * source map is needed.
 */
import { readFileSync } from "node:fs";
import { URL } from "node:url";
import WebSocket from "ws";
import { DIST_DIR } from "./runtime.mjs";

/** Samples that are not JavaScript of the bundle. */
const META = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/**
 * The bundle's module boundaries: the first line of each module.
 * @returns {Array<{line: number, module: string}>}
 */
function moduleMap() {
  const lines = readFileSync(`${DIST_DIR}/index.js`, "utf8").split("\n");
  const map = [];
  lines.forEach((text, line) => {
    const match = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
    if (match) map.push({ line, module: shortName(match[1]) });
  });
  return map;
}

/** A package for node_modules files, the path for our own. */
function shortName(path) {
  const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return pkg ? `${pkg[1]} (package)` : path;
}

/** @param {Array<{line: number, module: string}>} map @param {number} line */
function moduleAt(map, line) {
  let found = "(bundle glue)";
  for (const entry of map) {
    if (entry.line > line) break;
    found = entry.module;
  }
  return found;
}

/**
 * Profiles the service's isolate while `run` runs.
 * @param {URL} inspector Miniflare's inspector URL
 * @param {() => Promise<unknown>} run the load to profile
 * @param {{intervalUs?: number}} [options]
 */
export async function profileWhile(inspector, run, options = {}) {
  const ws = new WebSocket(new URL("/core:user:service", inspector));
  await new Promise((resolve, reject) => {
    ws.once("open", resolve);
    ws.once("error", reject);
  });

  let nextId = 0;
  const pending = new Map();
  ws.on("message", (data) => {
    const message = JSON.parse(String(data));
    pending.get(message.id)?.(message);
    pending.delete(message.id);
  });
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      nextId += 1;
      pending.set(nextId, resolve);
      ws.send(JSON.stringify({ id: nextId, method, params }));
    });

  try {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", {
      interval: options.intervalUs ?? 200,
    });
    await call("Profiler.start");
    await run();
    const stopped = await call("Profiler.stop");
    return summarise(stopped.result.profile);
  } finally {
    ws.close();
  }
}

/**
 * Self time by module and by function, as shares of the busy samples.
 * @returns {{busyMs: number, idleMs: number, modules: Array<[string,
 *   number]>, functions: Array<[string, number]>}}
 */
function summarise(profile) {
  const map = moduleMap();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byModule = new Map();
  const byFunction = new Map();
  let idleUs = 0;
  let busyUs = 0;

  profile.samples.forEach((id, index) => {
    const us = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    const name = frame?.functionName || "(anonymous)";
    if (name === "(idle)") {
      idleUs += us;
      return;
    }
    busyUs += us;

    let module;
    if (META.has(name)) module = name;
    else if (frame.url === "") module = "(native: runtime API)";
    else if (frame.url.endsWith("index.js")) {
      module = moduleAt(map, frame.lineNumber);
    } else module = "(other script)";
    const fn = META.has(name) ? name : `${name} [${module}]`;
    byModule.set(module, (byModule.get(module) ?? 0) + us);
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  });

  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => [name, us / busyUs]);
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    modules: top(byModule),
    functions: top(byFunction),
  };
}

/**
 * Markdown rows of a profile summary: the top entries with their share of
 * the isolate's busy time and the time per request that share stands for.
 * @param {Array<[string, number]>} entries from `profileWhile`
 * @param {number} busyMsPerRequest the isolate's busy time per request
 * @param {number} [top]
 */
export function profileRows(entries, busyMsPerRequest, top = 12) {
  return entries
    .slice(0, top)
    .map(([name, share]) => [
      name.startsWith("(") ? name : `\`${name}\``,
      `${(share * 100).toFixed(1)}%`,
      `${(share * busyMsPerRequest * 1000).toFixed(0)} µs`,
    ]);
}
