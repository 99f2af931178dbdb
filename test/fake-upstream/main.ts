/**
 * Runs the fake upstream on its own, for a benchmark or a manual check:
 *
 *   npx esbuild test/fake-upstream/main.ts --bundle --platform=node \
 *     --format=esm --outfile=bench/.out/fake-upstream.mjs
 *   PORT=9100 node bench/.out/fake-upstream.mjs
 *
 * (Node 20 runs no TypeScript itself.) It logs its URL as one JSON line
 * and stops on SIGINT or SIGTERM.
 */
import { startFakeUpstream } from "./server.js";

const upstream = await startFakeUpstream(Number(process.env.PORT ?? 0));
console.log(
  JSON.stringify({ message: "fake upstream listening", url: upstream.url }),
);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    upstream.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
