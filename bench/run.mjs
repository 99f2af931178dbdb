/**
 * `npm run bench`: runs the service in workerd through Miniflare and
 * measures it against baselines in the same run, then writes
 * bench/RESULTS.md (or bench/.out/RESULTS-partial.md when BENCH_ONLY picks
 * some figures). Sizes come from bench/config.mjs (BENCH_* variables).
 * Loopback only; every process it starts is ended, also on failure, on
 * SIGINT/SIGTERM and after BENCH_MAX_MINUTES.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import process, { env, exit } from "node:process";
import { clearTimeout, setTimeout } from "node:timers";
import { fileURLToPath, URL } from "node:url";
import { format, resolveConfig } from "prettier";
import { config, FIGURES } from "./config.mjs";
import {
  buildBundle,
  bundleSection,
  BUNDLE_COMMAND,
} from "./figures/bundle.mjs";
import { growth } from "./figures/growth.mjs";
import { ingestion } from "./figures/ingestion.mjs";
import { live } from "./figures/live.mjs";
import { proxy } from "./figures/proxy.mjs";
import { rows } from "./figures/rows.mjs";
import { startup } from "./figures/startup.mjs";
import { cleanupAll } from "./lib/cleanup.mjs";
import { progress } from "./lib/log.mjs";
import { load, machine, packageVersions } from "./lib/machine.mjs";
import { section, table } from "./lib/markdown.mjs";
import { count, ratio } from "./lib/stats.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const maxMinutes = Number(env.BENCH_MAX_MINUTES ?? 20);

async function stop(code, why) {
  progress(`stopping: ${why}`);
  await cleanupAll();
  exit(code);
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => void stop(130, signal));
}
const deadline = setTimeout(
  () => void stop(2, `over BENCH_MAX_MINUTES (${maxMinutes})`),
  maxMinutes * 60_000,
);
deadline.unref();

/** Each figure: how to run it and what it adds to the goals. */
const RUNNERS = {
  startup: () => startup(config.startup),
  ingestion: () => ingestion(config.ingestion),
  rows: () => rows({ ...config.rows, batchSize: config.ingestion.batchSize }),
  growth: async () => {
    const result = await growth(config.growth);
    // Growth must not make either slower; below 1 is noise, not a cost.
    const noWorse = (r) => r <= 1.25;
    return {
      ...result,
      goals: [
        {
          name: "snapshot read, large vs small conversation, <= 1.25x",
          met: noWorse(result.readRatio),
          detail: ratio(result.readRatio),
        },
        {
          name: "wake from storage, large vs small conversation, <= 1.25x",
          met: noWorse(result.wakeRatio),
          detail: ratio(result.wakeRatio),
        },
      ],
    };
  },
  live: async () => {
    const result = await live(config.live);
    return {
      ...result,
      goals: [
        {
          name: "thousands of sockets on one conversation",
          met: result.held >= 2_000,
          detail: `${count(result.held)} held, no socket dropped`,
        },
      ],
    };
  },
  proxy: () => proxy(config.proxy),
};

const started = new Date();
const loadBefore = load();
const sections = [];
const goals = [];
let failed = false;

const size = await buildBundle();
if (config.figures.includes("bundle")) sections.push(bundleSection(size));

for (const name of config.figures) {
  if (name === "bundle") continue;
  progress(`figure: ${name}`);
  try {
    const result = await RUNNERS[name]();
    sections.push(result.markdown);
    goals.push(...(result.goals ?? []));
  } catch (error) {
    failed = true;
    const message = error instanceof Error ? error.stack : String(error);
    progress(`figure ${name} failed: ${message}`);
    sections.push(section(name, ["**Failed:**", "```\n" + message + "\n```"]));
    await cleanupAll();
  }
}

const overrides = Object.entries(env)
  .filter(([key]) => key.startsWith("BENCH_"))
  .map(([key, value]) => `${key}=${value}`);
const m = machine();
const minutes = (Date.now() - started.getTime()) / 60_000;
const header = [
  "# Benchmark results",
  `Written by \`npm run bench\` (bench/run.mjs); see bench/README.md for ` +
    `what each figure measures and how. Every figure is a ratio to a ` +
    `baseline measured in the same run: absolute numbers move with the ` +
    `machine's load, ratios much less.`,
  table(
    ["", ""],
    [
      ["date", started.toISOString()],
      ["command", `\`${[...overrides, "npm run bench"].join(" ")}\``],
      ["machine", `${m.nproc} cores (nproc), ${m.cpu}, ${m.memGiB} GiB`],
      ["node", m.node],
      ["runtime", packageVersions(["miniflare", "wrangler", "ws"]).join(", ")],
      ["bundle", `\`${BUNDLE_COMMAND}\``],
      ["load average before / after", `${loadBefore} / ${load()}`],
      ["duration", `${minutes.toFixed(1)} min`],
      ["figures", config.figures.join(", ")],
    ],
  ),
  `The load average counts other work on this machine too (other ` +
    `engineers' test suites ran at the same time): on 2 cores, a load ` +
    `above 2 before the run means the bench shared the CPU.`,
  section("Goals", [
    table(
      ["goal", "result", ""],
      goals.map((g) => [g.name, g.met ? "met" : "**missed**", g.detail ?? ""]),
    ),
  ]),
];

const whole = config.figures.length === FIGURES.length;
const out = whole ? `${HERE}RESULTS.md` : `${HERE}.out/RESULTS-partial.md`;
mkdirSync(`${HERE}.out`, { recursive: true });
// Formatted as the repository's `prettier --check .` expects.
const markdown = await format([...header, ...sections].join("\n\n"), {
  ...(await resolveConfig(out)),
  parser: "markdown",
});
writeFileSync(out, markdown);
progress(`wrote ${out} (${minutes.toFixed(1)} min)`);
clearTimeout(deadline);
await cleanupAll();
exit(failed ? 1 : 0);
