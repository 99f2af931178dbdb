/**
 * The LLM proxy's added latency: the same fake upstream (test/fake-upstream,
 * bundled with esbuild and run as its own process) called directly and
 * through `POST /v1/conversations/{id}/chat/completions`, one call at a
 * time, alternating, with the same client, JSON and streamed.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { execPath } from "node:process";
import { performance } from "node:perf_hooks";
import { fileURLToPath, URL } from "node:url";
import { promisify } from "node:util";
import { onCleanup } from "../lib/cleanup.mjs";
import { HttpClient } from "../lib/http-client.mjs";
import { progress } from "../lib/log.mjs";
import { section, table } from "../lib/markdown.mjs";
import { profileRows, profileWhile } from "../lib/profile.mjs";
import { AUTH_JSON, Runtime } from "../lib/runtime.mjs";
import { median, ms, quantile } from "../lib/stats.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const FAKE_BUNDLE = `${ROOT}bench/.out/fake-upstream.mjs`;

/** The route whose presence means the proxy exists. */
export const PROXY_ROUTE_FILE = `${ROOT}src/api/routes/llm.ts`;

/** The command that bundles the fake upstream, as RESULTS.md shows it. */
const FAKE_COMMAND =
  "npx esbuild test/fake-upstream/main.ts --bundle --platform=node " +
  "--format=esm --outfile=bench/.out/fake-upstream.mjs";

/** Bundles and starts the fake upstream; resolves with its URL. */
async function startFake() {
  await promisify(execFile)("npx", FAKE_COMMAND.split(" ").slice(1), {
    cwd: ROOT,
  });
  const child = spawn(execPath, [FAKE_BUNDLE], {
    env: { PORT: "0" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const forget = onCleanup(() => {
    child.kill("SIGTERM");
  });
  const url = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`fake exited ${code}`)));
    child.stdout.once("data", (chunk) => {
      resolve(new URL(JSON.parse(String(chunk).split("\n")[0]).url));
    });
  });
  return {
    url,
    stop: () => {
      child.kill("SIGTERM");
      forget();
    },
  };
}

/** A chat completions body; `stream` asks for SSE. */
function chatBody(stream) {
  return JSON.stringify({
    model: "gpt-4o",
    messages: [{ role: "user", content: "Say hello." }],
    max_tokens: 100,
    ...(stream
      ? { stream: true, stream_options: { include_usage: true } }
      : {}),
  });
}

/** Times one call: to the first body byte and to the end. */
async function timeCall(call) {
  const started = performance.now();
  const answer = await call();
  const ended = performance.now();
  if (answer.status !== 200) {
    throw new Error(`HTTP ${answer.status}: ${answer.body.slice(0, 300)}`);
  }
  return {
    total: ended - started,
    firstByte: (answer.firstByteAt ?? ended) - started,
  };
}

/** The three ways to the fake upstream, each a function of the body. */
function paths(rt, direct, fake) {
  const upstreamHeaders = {
    "content-type": "application/json",
    authorization: "Bearer bench-upstream-key",
  };
  return {
    direct: (body) =>
      direct.send(
        fake.host,
        "POST",
        "/v1/chat/completions",
        upstreamHeaders,
        body,
      ),
    forward: (body) =>
      rt.http("forward", "POST", "/v1/chat/completions", upstreamHeaders, body),
    proxy: (body) =>
      rt.http(
        "service",
        "POST",
        "/v1/conversations/proxy-bench/chat/completions",
        AUTH_JSON,
        body,
      ),
  };
}

/** The isolate's profile while proxied calls run one after another. */
async function profileProxy(rt, proxied, calls) {
  const inspector = await rt.mf.getInspectorURL();
  let count = 0;
  const summary = await profileWhile(inspector, async () => {
    for (; count < calls; count++)
      await timeCall(() => proxied(chatBody(false)));
  });
  return { ...summary, busyPerCall: summary.busyMs / count };
}

/**
 * Runs the proxy figure, or says why it cannot.
 * @param {{calls: number}} options
 */
export async function proxy(options) {
  if (!existsSync(PROXY_ROUTE_FILE)) {
    return {
      skipped: true,
      markdown: section("LLM proxy: added latency", [
        `Not measured: ${PROXY_ROUTE_FILE} does not exist in this tree.`,
      ]),
    };
  }

  progress("proxy: bundling and starting the fake upstream");
  const fake = await startFake();
  const direct = new HttpClient(fake.url);
  const rt = new Runtime({
    workers: ["service", "forward"],
    inspect: true,
    bindings: {
      LLM_BASE_URL: `${fake.url.origin}/v1`,
      LLM_API_KEY: "bench-upstream-key",
    },
  });
  const samples = {};
  let profile;
  try {
    await rt.ready;
    const ways = paths(rt, direct, fake.url);
    for (const stream of [false, true]) {
      const kind = stream ? "stream" : "json";
      const body = chatBody(stream);
      samples[kind] = { direct: [], forward: [], proxy: [] };

      // Warm every path, then take turns.
      for (let i = 0; i < 20; i++) {
        for (const way of Object.values(ways)) await timeCall(() => way(body));
      }
      progress(`proxy: ${options.calls} ${kind} calls each way, in turn`);
      for (let i = 0; i < options.calls; i++) {
        for (const [name, way] of Object.entries(ways)) {
          samples[kind][name].push(await timeCall(() => way(body)));
        }
      }
    }
    progress("proxy: profiling the service's isolate during JSON calls");
    profile = await profileProxy(rt, ways.proxy, options.calls);
  } finally {
    direct.close();
    await rt.dispose();
    fake.stop();
  }
  return report(samples, profile, options);
}

function report(samples, profile, options) {
  const rows = [];
  const added = {};
  const pair = (list) => `${ms(median(list))} / ${ms(quantile(list, 0.99))}`;
  for (const [kind, ways] of Object.entries(samples)) {
    for (const [metric, key] of [
      ["whole call", "total"],
      ["first body byte", "firstByte"],
    ]) {
      const [d, f, p] = ["direct", "forward", "proxy"].map((name) =>
        ways[name].map((s) => s[key]),
      );
      added[`${kind}.${key}`] = median(p) - median(d);
      rows.push([
        kind === "json" ? "JSON" : "stream (SSE)",
        metric,
        pair(d),
        pair(f),
        pair(p),
        `${ms(median(p) - median(d))} / ` +
          `${ms(quantile(p, 0.99) - quantile(d, 0.99))}`,
        ms(median(f) - median(d)),
        ms(median(p) - median(f)),
      ]);
    }
  }

  return {
    added,
    markdown: section("LLM proxy: added latency", [
      `The fake upstream (\`${FAKE_COMMAND}\`, then run as its own Node ` +
        `process on 127.0.0.1) answers at once: no delay directives. One ` +
        `node:http kept-alive client calls it three ways, one call at a ` +
        `time, in turn, ${options.calls} calls each after 20 warm-up ` +
        `rounds: directly (\`POST /v1/chat/completions\`); through a ` +
        `bench Worker in the same workerd that only forwards with ` +
        `\`fetch\` (bench/workers/forward.mjs); and through the service ` +
        `(\`POST /v1/conversations/proxy-bench/chat/completions\`, ` +
        `LLM_BASE_URL pointing at the fake). Through the service a call ` +
        `also holds its worst-case cost and records its usage, two RPCs ` +
        `to the conversation's object. "Added" is proxied minus direct at ` +
        `the same quantile; it splits into the hop through workerd ` +
        `(forwarded minus direct) and the proxy's own work (proxied minus ` +
        `forwarded), at p50.`,
      table(
        [
          "answer",
          "time to",
          "direct p50 / p99",
          "forwarded p50 / p99",
          "proxied p50 / p99",
          "added p50 / p99",
          "workerd hop p50",
          "proxy's own p50",
        ],
        rows,
      ),
      `Where the proxy's time goes: a CPU profile of the service's ` +
        `isolate (workerd's inspector, sampling every 200 µs) over ` +
        `${options.calls} JSON calls, one at a time; the isolate was busy ` +
        `${ms(profile.busyPerCall)} per call (self time by source file; ` +
        `"(program)" is the runtime's own work on the isolate's thread):`,
      table(
        ["source", "share of busy time", "per call"],
        profileRows(profile.modules, profile.busyPerCall),
      ),
      table(
        ["function [source]", "share of busy time", "per call"],
        profileRows(profile.functions, profile.busyPerCall),
      ),
    ]),
  };
}
