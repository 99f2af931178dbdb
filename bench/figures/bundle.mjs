/**
 * The deployed bundle: `wrangler deploy --dry-run` writes exactly what a
 * deploy would upload. Its size, raw and gzipped, is the figure; the other
 * figures run this very bundle.
 */
import { execFile } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { env } from "node:process";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { Buffer } from "node:buffer";
import { progress } from "../lib/log.mjs";
import { section, table } from "../lib/markdown.mjs";
import { DIST_DIR } from "../lib/runtime.mjs";
import { fmt } from "../lib/stats.mjs";

const run = promisify(execFile);

/** The command that builds the bundle, as RESULTS.md shows it. */
export const BUNDLE_COMMAND = `npx wrangler deploy --dry-run --outdir bench/.out/dist`;

/**
 * Builds the bundle into bench/.out/dist.
 * @returns {Promise<{raw: number, gzip: number, wranglerSays: string,
 *   parts: Array<[string, number]>}>}
 */
export async function buildBundle() {
  progress("bundling the service with wrangler deploy --dry-run");
  rmSync(DIST_DIR, { recursive: true, force: true });

  const { stdout } = await run(
    "npx",
    ["wrangler", "deploy", "--dry-run", "--outdir", DIST_DIR],
    {
      env: {
        ...env,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
      },
    },
  );

  const bytes = readFileSync(`${DIST_DIR}/index.js`);
  const wranglerSays = /Total Upload: .*/.exec(stdout)?.[0] ?? "";
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    wranglerSays,
    parts: composition(bytes.toString("utf8")),
  };
}

/**
 * Raw bytes by package (node_modules) or by src/ folder, from the
 * `// path` line wrangler's bundler puts before each module.
 * @param {string} text
 * @returns {Array<[string, number]>} largest first
 */
function composition(text) {
  const sizes = new Map();
  let part = "(bundler glue)";
  for (const line of text.split("\n")) {
    const marker = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(line)?.[1];
    if (marker !== undefined) {
      const pkg = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(marker)?.[1];
      part = pkg ?? marker.split("/").slice(0, 2).join("/");
    }
    sizes.set(part, (sizes.get(part) ?? 0) + Buffer.byteLength(line) + 1);
  }
  return [...sizes].sort((a, b) => b[1] - a[1]);
}

/**
 * The bundle section of RESULTS.md.
 * @param {{raw: number, gzip: number, wranglerSays: string,
 *   parts: Array<[string, number]>}} size
 */
export function bundleSection(size) {
  const kib = (n) => `${fmt(n / 1024, 4)} KiB`;
  return section("Bundle size", [
    `\`${BUNDLE_COMMAND}\`; wrangler printed "${size.wranglerSays}". ` +
      `Sizes of \`index.js\` (the source map is not uploaded):`,
    table(
      ["bundle", "raw", "gzip -9"],
      [["bench/.out/dist/index.js", kib(size.raw), kib(size.gzip)]],
    ),
    `What the raw bytes are, by package or src/ folder (largest first):`,
    table(
      ["part", "raw", "share"],
      size.parts
        .slice(0, 8)
        .map(([part, bytes]) => [
          `\`${part}\``,
          kib(bytes),
          `${((bytes / size.raw) * 100).toFixed(1)}%`,
        ]),
    ),
  ]);
}
