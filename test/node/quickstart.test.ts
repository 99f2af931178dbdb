/**
 * The README's quick start, run as a new user would: `npm start`, then the
 * documented requests against the printed URL and key. It runs in a
 * temporary folder that links to this checkout, so that the storage
 * `npm start` keeps (`.wrangler/state`) is not the developer's own.
 */
import { existsSync } from "node:fs";
import { cp, mkdtemp, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, type Api } from "./support/api.js";
import {
  freePort,
  sleep,
  spawnGroup,
  stopGroup,
  type ProcessGroup,
} from "./support/wrangler-process.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const START_SCRIPT = join(ROOT, "scripts", "start.mjs");

/** The key the README says `npm start` uses when API_KEYS is unset. */
const README_KEY = "local-dev-key";

/** The README's example batch, as its curl command sends it. */
const README_BATCH = `{"operations": [
  {"id": "op-1", "type": "add_cost", "source": "draft_editor",
   "model": "gpt-4o", "cost": 0.01},
  {"id": "op-2", "type": "add_cost", "source": "condenser",
   "model": "gpt-4o", "cost": 0.02},
  {"id": "op-3", "type": "add_token_usage", "source": "agent",
   "model": "gpt-4o", "prompt_tokens": 1200, "completion_tokens": 80,
   "cache_read_tokens": 1000, "context_window": 128000}
]}`;

const READY_TIMEOUT_MS = 45_000;

/** Links and files a checkout needs for `npm start`. */
const LINKED = ["node_modules", "src", "scripts", "public"];
const COPIED = ["package.json", "wrangler.toml", "tsconfig.json"];

describe.skipIf(!existsSync(START_SCRIPT))("the README quick start", () => {
  let folder = "";
  let port = 0;
  let started: ProcessGroup | undefined;
  let client: Api;

  async function npmStart(): Promise<ProcessGroup> {
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
    delete env.API_KEYS;
    const proc = spawnGroup("npm", ["start"], { cwd: folder, env });

    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!proc.output().includes("API key:")) {
      if (Date.now() > deadline) {
        await stopGroup(proc);
        throw new Error(`npm start printed no key:\n${proc.output()}`);
      }
      await sleep(100);
    }
    return proc;
  }

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "cm-quickstart-"));
    for (const name of LINKED.filter((n) => existsSync(join(ROOT, n)))) {
      await symlink(join(ROOT, name), join(folder, name));
    }
    for (const name of COPIED) {
      await cp(join(ROOT, name), join(folder, name));
    }

    port = await freePort();
    started = await npmStart();
    client = api({ url: `http://127.0.0.1:${port}`, apiKey: README_KEY });
  });

  afterAll(async () => {
    if (started) await stopGroup(started);
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  /** The README's curl: `-d` sends a form content type, not JSON. */
  async function curlBatch() {
    const response = await fetch(
      `http://127.0.0.1:${port}/v1/conversations/demo/operations`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${README_KEY}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: README_BATCH,
      },
    );
    const body: unknown = await response.json();
    return { status: response.status, body };
  }

  it("prints the URL and the key it serves with", () => {
    const output = started?.output() ?? "";

    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toContain(`API key: ${README_KEY}`);
  });

  it("answers the README's example batch as documented", async () => {
    const answer = await curlBatch();

    expect(answer).toEqual({
      status: 200,
      body: {
        applied: 3,
        duplicates: 0,
        duplicate_ids: [],
        seq: 3,
        accumulated_cost: 0.03,
      },
    });
  });

  it("counts nothing twice when the example is sent again", async () => {
    const answer = await curlBatch();

    expect(answer.body).toMatchObject({
      applied: 0,
      duplicates: 3,
      accumulated_cost: 0.03,
    });
  });

  it("keeps the conversation in local storage across npm start runs", async () => {
    const before = await client.get("/v1/conversations/demo/metrics");
    if (started) await stopGroup(started);
    started = await npmStart();
    const after = await client.get("/v1/conversations/demo/metrics");

    expect(before.status).toBe(200);
    expect(after.body).toEqual(before.body);
  });
});
