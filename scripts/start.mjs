// `npm start`: runs the service locally with wrangler dev, offline and with
// no account. Storage is kept in .wrangler/state between runs. The API key
// is local-dev-key unless API_KEYS is set in the environment.
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

const key = process.env.API_KEYS ?? "local-dev-key";
const port = process.env.PORT ?? "8787";
const url = `http://127.0.0.1:${port}`;

const wrangler = spawn(
  "npx",
  [
    "wrangler",
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    port,
    "--persist-to",
    ".wrangler/state",
    "--var",
    `API_KEYS:${key}`,
    "--show-interactive-dev-session=false",
  ],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
      WRANGLER_SEND_METRICS: "false",
    },
  },
);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => wrangler.kill(signal));
}
wrangler.on("exit", (code) => process.exit(code ?? 0));

// Print the URL and key once the service answers.
for (let attempt = 0; attempt < 120; attempt++) {
  await sleep(500);
  const ready = await fetch(`${url}/healthz`).then(
    (res) => res.ok,
    () => false,
  );
  if (ready) {
    const first = key.split(",")[0];
    console.log(
      [
        "",
        `conversation-metrics is running at ${url}`,
        `API key: ${first}`,
        "Try:",
        `  curl -s -H 'Authorization: Bearer ${first}' ${url}/v1/conversations/demo/metrics`,
        "",
      ].join("\n"),
    );
    break;
  }
}
