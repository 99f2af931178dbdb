/**
 * CPU time used by this process (the load generator) and by the workerd
 * processes it started, read from /proc, so a figure can say how much of
 * each request is spent where: a client-bound run is not a server figure.
 */
import { readdirSync, readFileSync } from "node:fs";
import { pid, cpuUsage } from "node:process";

/** Clock ticks per second of /proc's utime and stime (Linux: 100). */
const TICKS_PER_SECOND = 100;

/** @param {number} id */
function stat(id) {
  try {
    const text = readFileSync(`/proc/${id}/stat`, "utf8");
    // The command name may hold spaces; fields follow its closing paren.
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return {
      name: text.slice(text.indexOf("(") + 1, text.lastIndexOf(")")),
      ppid: Number(fields[1]),
      user: Number(fields[11]),
      system: Number(fields[12]),
    };
  } catch {
    return null;
  }
}

/** The pids of workerd processes descended from this process. */
export function workerdPids() {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => ({ id: Number(name), info: stat(Number(name)) }))
    .filter((entry) => entry.info !== null);

  const descendants = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { id, info } of all) {
      if (!descendants.has(id) && descendants.has(info.ppid)) {
        descendants.add(id);
        grew = true;
      }
    }
  }
  return all
    .filter(({ id, info }) => descendants.has(id) && info.name === "workerd")
    .map(({ id }) => id);
}

/** The resident memory of a process in MiB, or NaN. */
export function rssMiB(id) {
  try {
    const status = readFileSync(`/proc/${id}/status`, "utf8");
    const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return kib / 1024;
  } catch {
    return NaN;
  }
}

/**
 * Starts a CPU meter over this process and the given workerd processes.
 * @param {number[]} workerd
 * @returns {() => {clientMs: number, workerdMs: number,
 *   workerdSystemMs: number}} the CPU used since the start; the system
 *   (kernel) share of workerd's is also given apart
 */
export function cpuMeter(workerd) {
  const ticks = (key) =>
    workerd.reduce((sum, id) => sum + (stat(id)?.[key] ?? 0), 0);
  const client = cpuUsage();
  const user = ticks("user");
  const system = ticks("system");
  const ms = (n) => (n * 1000) / TICKS_PER_SECOND;
  return () => {
    const used = cpuUsage(client);
    const systemMs = ms(ticks("system") - system);
    return {
      clientMs: (used.user + used.system) / 1000,
      workerdMs: ms(ticks("user") - user) + systemMs,
      workerdSystemMs: systemMs,
    };
  };
}
