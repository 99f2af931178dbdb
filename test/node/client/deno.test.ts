import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "../support/service.js";

const run = promisify(execFile);

/** The project root: three folders up from test/node/client. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

let service: RunningService;
let outDir: string;
let denoDir: string;

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), "cm-client-build-"));
  denoDir = await mkdtemp(join(tmpdir(), "cm-deno-dir-"));
  // The same build as `npm run build:client`, into a folder of its own
  // so parallel runs never read a half-written dist/.
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const build = ["-p", "src/client/tsconfig.json", "--outDir", outDir];
  await run(process.execPath, [tsc, ...build], { cwd: ROOT });
  service = await startService();
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await rm(outDir, { recursive: true, force: true });
  await rm(denoDir, { recursive: true, force: true });
});

/** Runs test/deno/client.test.mjs under Deno; resolves with its result. */
async function denoTest(): Promise<{ code: number; output: string }> {
  const { host } = new URL(service.url);
  const deno = join(ROOT, "node_modules", ".bin", "deno");
  const args = [
    "test",
    `--allow-net=${host}`,
    "--allow-env=CM_CLIENT,CM_URL,CM_API_KEY",
    `--allow-read=${outDir}`,
    "test/deno/client.test.mjs",
  ];
  const env = {
    ...process.env,
    DENO_NO_UPDATE_CHECK: "1",
    DENO_DIR: denoDir,
    NO_COLOR: "1",
    CM_CLIENT: pathToFileURL(join(outDir, "client", "index.js")).href,
    CM_URL: service.url,
    CM_API_KEY: service.apiKey,
  };

  try {
    const { stdout, stderr } = await run(deno, args, { cwd: ROOT, env });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: failed.code ?? -1,
      output: `${failed.stdout ?? ""}${failed.stderr ?? ""}`,
    };
  }
}

describe("the built client under Deno", () => {
  it("passes the seed example locally, against the service and by token", async () => {
    const result = await denoTest();

    expect(result.output).toMatch(/ok \| 3 passed \| 0 failed/);
    expect(result.code).toBe(0);
  });
});
