import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** The key every workerd test sends; see test/workers/helpers.ts. */
const TEST_API_KEY = "test-key";

export default defineConfig({
  test: {
    projects: [
      {
        // Runs inside workerd against the real Durable Object and routes.
        plugins: [
          // The fake LLM upstream is started by the globalSetup below; its
          // URL reaches the Worker as the upstream base URLs.
          cloudflareTest(({ inject }) => ({
            main: "./src/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                API_KEYS: TEST_API_KEY,
                LLM_BASE_URL: `${inject("fakeUpstreamUrl")}/v1`,
                ANTHROPIC_BASE_URL: inject("fakeUpstreamUrl"),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          globalSetup: ["./test/fake-upstream/global-setup.ts"],
        },
      },
      {
        // Runs in Node against `wrangler dev` processes it starts itself.
        test: {
          name: "node",
          include: ["test/node/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
