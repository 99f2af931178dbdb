/**
 * Vitest globalSetup of the workers project: starts the fake upstream once
 * for the run and hands its base URL to the tests (`inject(
 * "fakeUpstreamUrl")`) and, through vitest.config.ts, to the Worker's
 * bindings as LLM_BASE_URL and ANTHROPIC_BASE_URL.
 */
import type { TestProject } from "vitest/node";
import { startFakeUpstream } from "./server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The fake upstream's base URL, e.g. http://127.0.0.1:41234. */
    fakeUpstreamUrl: string;
  }
}

export default async function setup(
  project: TestProject,
): Promise<() => Promise<void>> {
  const upstream = await startFakeUpstream();
  project.provide("fakeUpstreamUrl", upstream.url);
  return () => upstream.close();
}
