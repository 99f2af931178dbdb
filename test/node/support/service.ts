import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  freePort,
  sleep,
  spawnWrangler,
  stopGroup,
  type ProcessGroup,
} from "./wrangler-process.js";

export { api, type Api, type ApiResponse } from "./api.js";

/** The project root: three folders up from test/node/support. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** How long wrangler may take to answer /healthz with 200. */
const READY_TIMEOUT_MS = 45_000;

const READY_POLL_MS = 100;

/** What wrangler's output says when its port was taken. */
const PORT_TAKEN = /EADDRINUSE|address already in use/i;

/** The line wrangler prints once it listens: the truth about the URL. */
const READY_LINE = /Ready on (http:\/\/[^\s]+)/;

/** Options of {@link startService}. */
export interface ServiceOptions {
  /** Storage folder; a fresh temporary one when left out. */
  persistDir?: string;
  /** Extra `--var` values; `API_KEYS` here replaces the test key. */
  vars?: Record<string, string>;
}

/** A `wrangler dev` of this project, as a user would run it. */
export interface RunningService {
  /** Base URL, without a trailing slash; changes if a restart moves port. */
  url: string;
  /** A key listed in `API_KEYS`, for `Authorization: Bearer`. */
  apiKey: string;
  persistDir: string;
  /** Stops the process and starts a new one on the same storage. */
  restart(): Promise<void>;
  /**
   * Stops the process group this harness started and waits for its end.
   * The persist folder is kept, so `startService({ persistDir })` can
   * pick it up again.
   */
  stop(): Promise<void>;
}

interface Launch {
  proc: ProcessGroup;
  port: number;
  url: string;
}

/**
 * Starts the real service with `wrangler dev` on a free port of 127.0.0.1
 * and resolves once `GET /healthz` answers 200. Several test files may call
 * it at once: each process gets its own ports and registry folder.
 * @throws Error with wrangler's output when the service does not come up
 */
export async function startService(
  options: ServiceOptions = {},
): Promise<RunningService> {
  const persistDir =
    options.persistDir ?? (await mkdtemp(join(tmpdir(), "cm-persist-")));
  const registryDir = await mkdtemp(join(tmpdir(), "cm-registry-"));
  const apiKey = `test-${randomBytes(12).toString("hex")}`;
  const vars = { API_KEYS: apiKey, ...options.vars };
  const key = vars.API_KEYS.split(",")[0] ?? apiKey;

  const where = { persistDir, registryDir, vars };
  let current: Launch | undefined = await launchOnPort(await freePort(), where);
  let port = current.port;

  const service: RunningService = {
    url: current.url,
    apiKey: key,
    persistDir,
    async restart() {
      if (current) await stopGroup(current.proc);
      current = undefined;

      // The old port is free again once the group has exited.
      current = await launchOnPort(port, where);
      port = current.port;
      service.url = current.url;
    },
    async stop() {
      if (current) await stopGroup(current.proc);
      current = undefined;
      // The persist folder stays: a caller may start on it again.
      await rm(registryDir, { recursive: true, force: true });
    },
  };
  return service;
}

interface LaunchOptions {
  persistDir: string;
  registryDir: string;
  vars: Record<string, string>;
}

/**
 * Launches on `port`; if something took that port since it was found
 * free (other test files start services at the same time), once more on
 * a new one.
 */
async function launchOnPort(
  port: number,
  options: LaunchOptions,
): Promise<Launch> {
  try {
    return await launch(port, options);
  } catch (error) {
    if (!PORT_TAKEN.test(String(error))) throw error;
    return launch(await freePort(), options);
  }
}

/** Spawns wrangler and waits for it to be ready; stops it on failure. */
async function launch(port: number, options: LaunchOptions): Promise<Launch> {
  const proc = spawnWrangler({
    root: ROOT,
    port,
    inspectorPort: await freePort(),
    ...options,
  });

  try {
    const url = await waitUntilReady(proc, port);
    return { proc, port, url };
  } catch (error) {
    await stopGroup(proc);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `wrangler dev did not become ready: ${reason}\n` +
        `--- wrangler output ---\n${proc.output()}`,
      { cause: error },
    );
  }
}

/**
 * Polls `/healthz` until it answers 200. The URL comes from wrangler's
 * "Ready on" line when it has printed one, so a port wrangler moved is
 * still found; the process exiting first is a failure.
 */
async function waitUntilReady(
  proc: ProcessGroup,
  port: number,
): Promise<string> {
  let exit: string | undefined;
  void proc.exited.then((how) => (exit = how));

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (exit !== undefined) throw new Error(`it exited (${exit})`);

    const printed = READY_LINE.exec(proc.output())?.[1];
    const url = (printed ?? `http://127.0.0.1:${port}`).replace(/\/$/, "");
    last = await probe(`${url}/healthz`);
    if (last === "200") return url;

    await sleep(READY_POLL_MS);
  }
  throw new Error(`no 200 from /healthz in time (last: ${last})`);
}

/** The status of one GET as text, or why it failed. */
async function probe(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return String(response.status);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
