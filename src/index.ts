/**
 * The Worker: the HTTP API in front, one ConversationMetrics Durable Object
 * per conversation behind it.
 */
import { app } from "./api/app.js";

export { ConversationMetrics } from "./conversation/conversation-metrics.js";

export default app satisfies ExportedHandler<Env>;
