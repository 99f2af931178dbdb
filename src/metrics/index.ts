/**
 * The metrics model: plain TypeScript with no runtime imports, so it runs in
 * Workers, Node, Deno and browsers alike.
 */
export * from "./money.js";
export * from "./records.js";
export * from "./totals.js";
export * from "./metrics.js";
