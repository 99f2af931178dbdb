/**
 * The LLM-call layer: pure pieces the proxy routes use to meter, price and
 * budget one call, and a simulated upstream for offline runs.
 *
 * - call-usage: the normalised `CallUsage` (prompt inclusive of cache).
 * - openai-usage, anthropic-usage, response-usage: usage from complete
 *   JSON responses.
 * - stream-options, sse-parser, stream-usage, stream-meter: usage from
 *   streams, passed through untouched.
 * - upstream-cost, price-overrides, price-table, pricing: a call's cost.
 * - cost-estimate: the worst case, for a budget reservation.
 * - simulated/: the offline upstream and its documented price.
 */
export * from "./anthropic-usage.js";
export * from "./call-usage.js";
export * from "./cost-estimate.js";
export * from "./errors.js";
export * from "./json-fields.js";
export * from "./model-price.js";
export * from "./openai-usage.js";
export * from "./price-overrides.js";
export * from "./price-table.js";
export * from "./pricing.js";
export * from "./provider-id.js";
export * from "./response-usage.js";
export * from "./sse-parser.js";
export * from "./stream-meter.js";
export * from "./stream-options.js";
export * from "./stream-usage.js";
export * from "./upstream-cost.js";
export * from "./simulated/simulated-model.js";
export * from "./simulated/simulated-upstream.js";
