/**
 * The client library: one handle per conversation, one per LLM user in
 * it, all writing into the conversation's one shared metrics record. Plain
 * ES modules: runs unchanged in Node >= 20, Deno and browsers.
 */
export { Conversation, openConversation } from "./conversation.js";
export { SourceMetrics } from "./source-metrics.js";
export {
  ClientClosedError,
  InvalidOperationError,
  ServiceError,
} from "./errors.js";
export { Metrics, NegativeCostError } from "../metrics/metrics.js";
export type { TokenUsageInput } from "../metrics/metrics.js";
export type { ConversationOptions, TokenSource } from "./options.js";
export type { BackoffOptions } from "./backoff.js";
export type { RetryOptions } from "./write-queue.js";
export type { MetricsUpdate, Subscription, UpdateCallback } from "./updates.js";
export type {
  FetchLike,
  ResponseLike,
  RequestInitLike,
  WebSocketConstructorLike,
  WebSocketLike,
} from "./transport-types.js";
export type {
  ConversationSnapshot,
  ConversationTotals,
  ScopeSnapshot,
  ScopeTotals,
} from "../metrics/snapshot-types.js";
export type { AppliedOperation } from "../operations/applied.js";
export type { OperationInput } from "../operations/schema.js";
