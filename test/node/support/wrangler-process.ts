import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";

/** How much of wrangler's output is kept for error messages. */
const OUTPUT_LIMIT_CHARS = 64_000;

/** How long a stopped process group may take before SIGKILL. */
const STOP_GRACE_MS = 5_000;

/** What one `wrangler dev` process needs to know. */
export interface WranglerOptions {
  /** The project folder: wrangler.toml and node_modules live here. */
  root: string;
  port: number;
  inspectorPort: number;
  persistDir: string;
  /** Folder for wrangler's dev registry, so parallel runs do not share. */
  registryDir: string;
  vars: Record<string, string>;
}

/** A process group this harness started, and its output so far. */
export interface ProcessGroup {
  child: ChildProcess;
  /** The last part of stdout and stderr, interleaved. */
  output(): string;
  /** Resolves with the exit code (or signal) once the child has exited. */
  exited: Promise<string>;
}

/** A TCP port on 127.0.0.1 that nothing listened on a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });

  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") {
    throw new Error("Could not read the port of a probe socket.");
  }
  return address.port;
}

/**
 * Starts `wrangler dev` in its own process group (so that stopping it also
 * stops the workerd it spawns) with no terminal session, no telemetry and no
 * network fetches.
 */
export function spawnWrangler(options: WranglerOptions): ProcessGroup {
  const bin = join(options.root, "node_modules", "wrangler", "bin");
  const args = [
    join(bin, "wrangler.js"),
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(options.port),
    // A fixed inspector port would clash when test files run in parallel.
    "--inspector-port",
    String(options.inspectorPort),
    "--persist-to",
    options.persistDir,
    "--show-interactive-dev-session=false",
  ];
  for (const [name, value] of Object.entries(options.vars)) {
    args.push("--var", `${name}:${value}`);
  }

  return spawnGroup(process.execPath, args, {
    cwd: options.root,
    env: {
      ...process.env,
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
      WRANGLER_REGISTRY_PATH: options.registryDir,
    },
  });
}

/**
 * Spawns a command as the leader of a new process group, stdin closed,
 * keeping the tail of its stdout and stderr.
 */
export function spawnGroup(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): ProcessGroup {
  const child = spawn(command, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...options.env, NO_COLOR: "1", FORCE_COLOR: "0" },
  });

  let output = "";
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_LIMIT_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const exited = new Promise<string>((resolve) => {
    child.once("exit", (code, signal) => resolve(signal ?? `code ${code}`));
    child.once("error", (error) => resolve(`spawn error: ${error.message}`));
  });
  return { child, output: () => output, exited };
}

/** True while any process of the group led by `pgid` is alive. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone: nothing to stop.
  }
}

/**
 * Stops the process group this harness spawned, by its pid only, and waits
 * until every member has exited, so that storage files are closed before a
 * restart opens them again.
 */
export async function stopGroup(proc: ProcessGroup): Promise<void> {
  const pgid = proc.child.pid;
  if (pgid === undefined) return;

  signalGroup(pgid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < deadline) {
    await sleep(50);
  }

  if (groupAlive(pgid)) signalGroup(pgid, "SIGKILL");
  const killDeadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid) && Date.now() < killDeadline) {
    await sleep(50);
  }
  await proc.exited;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
