/**
 * Starts the real service in workerd through Miniflare (no wrangler dev
 * proxy in front), beside the bench's own workers: the no-op baseline, the
 * breakdown probe and the counting wrapper. Requests go in with
 * `dispatchFetch`; a worker other than the first is reached by its host
 * name (Miniflare routes).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, URL } from "node:url";
import { Miniflare } from "miniflare";
import { onCleanup } from "./cleanup.mjs";
import { HttpClient } from "./http-client.mjs";

const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));

/** Where `wrangler deploy --dry-run` puts the bundle. */
export const DIST_DIR = `${BENCH_DIR}.out/dist`;

/** The API key every bench request sends. */
export const API_KEY = "bench";

const COMPATIBILITY_DATE = "2026-04-26";

/** Host names that reach the bench's workers through `dispatchFetch`. */
export const HOSTS = {
  service: "service.bench",
  noop: "noop.bench",
  probe: "probe.bench",
  counting: "counting.bench",
  forward: "forward.bench",
};

/**
 * The service's worker. The bundle is one module, so it is listed as one:
 * given `modules: true` and a `scriptPath` instead, Miniflare parses the
 * 900 KiB bundle in Node to find its imports, which adds most of a second
 * to every start (measured in the start-up figure) and is no part of
 * workerd or of production.
 * @param {Record<string, string>} bindings
 * @param {boolean} scriptPath use `modules: true` and `scriptPath`
 */
function serviceWorker(bindings, scriptPath) {
  const path = `${DIST_DIR}/index.js`;
  const modules = scriptPath
    ? { modules: true, scriptPath: path }
    : { modules: [{ type: "ESModule", path, contents: bundleText() }] };
  return {
    name: "service",
    modulesRoot: DIST_DIR,
    ...modules,
    compatibilityDate: COMPATIBILITY_DATE,
    routes: [`${HOSTS.service}/*`],
    durableObjects: {
      CONVERSATIONS: { className: "ConversationMetrics", useSQLite: true },
    },
    bindings: { API_KEYS: API_KEY, ...bindings },
  };
}

let bundleCache = null;

/** The bundle's text, read once per run (it is built before any start). */
function bundleText() {
  bundleCache ??= readFileSync(`${DIST_DIR}/index.js`, "utf8");
  return bundleCache;
}

/** @type {Record<string, (bindings: Record<string, string>) => object>} */
const BENCH_WORKERS = {
  noop: () => ({
    name: "noop",
    modules: true,
    modulesRoot: BENCH_DIR,
    scriptPath: `${BENCH_DIR}workers/noop.mjs`,
    compatibilityDate: COMPATIBILITY_DATE,
    routes: [`${HOSTS.noop}/*`],
    durableObjects: { NOOP: { className: "NoopObject", useSQLite: true } },
  }),
  probe: () => ({
    name: "probe",
    modules: true,
    modulesRoot: BENCH_DIR,
    scriptPath: `${BENCH_DIR}workers/probe.mjs`,
    compatibilityDate: COMPATIBILITY_DATE,
    routes: [`${HOSTS.probe}/*`],
    durableObjects: {
      CONVERSATIONS: {
        className: "ConversationMetrics",
        scriptName: "service",
        useSQLite: true,
      },
    },
  }),
  forward: (bindings) => ({
    name: "forward",
    modules: true,
    modulesRoot: BENCH_DIR,
    scriptPath: `${BENCH_DIR}workers/forward.mjs`,
    compatibilityDate: COMPATIBILITY_DATE,
    routes: [`${HOSTS.forward}/*`],
    bindings: { UPSTREAM: bindings.LLM_BASE_URL ?? "" },
  }),
  counting: () => ({
    name: "counting",
    modules: true,
    modulesRoot: BENCH_DIR,
    scriptPath: `${BENCH_DIR}workers/counting.mjs`,
    // It imports the bundle, a .js file that is an ES module.
    modulesRules: [{ type: "ESModule", include: ["**/*.js"] }],
    compatibilityDate: COMPATIBILITY_DATE,
    routes: [`${HOSTS.counting}/*`],
    durableObjects: {
      CONVERSATIONS: {
        className: "CountingConversationMetrics",
        useSQLite: true,
      },
    },
    bindings: { API_KEYS: API_KEY },
  }),
};

/**
 * @typedef {object} RuntimeOptions
 * @property {Array<"service" | keyof typeof BENCH_WORKERS>} workers
 *   the first one also answers requests no route names
 * @property {string} [persistDir] keep Durable Object storage here;
 *   in memory when absent
 * @property {Record<string, string>} [bindings] more service bindings
 *   (the forward worker reads LLM_BASE_URL from them)
 * @property {boolean} [scriptPath] give Miniflare the service as
 *   `modules: true` and `scriptPath`, which it parses in Node
 * @property {boolean} [inspect] open workerd's inspector (for profiles)
 */

/**
 * A running workerd with the named workers. Its console output (one JSON
 * line per request from the service) is read and counted, not printed.
 */
export class Runtime {
  /** @type {Miniflare} */
  mf;
  /** Lines the workers wrote to stdout and stderr. */
  logLines = 0;

  /** @param {RuntimeOptions} options */
  constructor(options) {
    const workers = options.workers.map((name) =>
      name === "service"
        ? serviceWorker(options.bindings ?? {}, options.scriptPath ?? false)
        : BENCH_WORKERS[name](options.bindings ?? {}),
    );
    this.mf = new Miniflare({
      host: "127.0.0.1",
      port: 0,
      workers,
      durableObjectsPersist: options.persistDir ?? false,
      ...(options.inspect ? { inspectorPort: 0 } : {}),
      handleRuntimeStdio: (stdout, stderr) => {
        for (const stream of [stdout, stderr]) {
          stream.on("data", (chunk) => {
            this.logLines += countLines(chunk);
          });
        }
      },
    });
    this.#forget = onCleanup(() => this.mf.dispose());
  }

  /** @type {() => void} */
  #forget;

  /** The HTTP URL workerd listens on (127.0.0.1). */
  get ready() {
    return this.mf.ready;
  }

  /**
   * A request through Miniflare's entry worker, as a client would send it.
   * @param {keyof typeof HOSTS} worker
   * @param {string} path
   * @param {RequestInit} [init]
   */
  fetch(worker, path, init) {
    return this.mf.dispatchFetch(`http://${HOSTS[worker]}${path}`, init);
  }

  /**
   * One request with `dispatchFetch`, its body read whole.
   * @type {Transport}
   */
  dispatch = async (worker, method, path, headers, body) => {
    const response = await this.fetch(worker, path, { method, headers, body });
    return { status: response.status, body: await response.text() };
  };

  /**
   * One request over a kept-alive connection to workerd's listener.
   * @type {Transport}
   */
  http = async (worker, method, path, headers, body) => {
    this.#client ??= new HttpClient(await this.ready);
    return this.#client.send(HOSTS[worker], method, path, headers, body);
  };

  /** @type {HttpClient | null} */
  #client = null;

  /** Stops workerd; storage in `persistDir` stays. */
  async dispose() {
    this.#client?.close();
    await this.mf.dispose();
    this.#forget();
  }
}

/**
 * @callback Transport
 * @param {keyof typeof HOSTS} worker
 * @param {string} method
 * @param {string} path
 * @param {Record<string, string>} [headers]
 * @param {string} [body]
 * @returns {Promise<import("./http-client.mjs").Answer>}
 */

/** @param {Buffer} chunk */
function countLines(chunk) {
  let lines = 0;
  for (const byte of chunk) if (byte === 10) lines += 1;
  return lines;
}

/** Headers of an authenticated JSON request to the service. */
export const AUTH_JSON = {
  authorization: `Bearer ${API_KEY}`,
  "content-type": "application/json",
};
