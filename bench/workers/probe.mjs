/**
 * A breakdown probe, run in workerd beside the service and bound to the
 * service's own Durable Object class (Miniflare `scriptName`). It calls the
 * object's `apply` directly, skipping the Worker's layers (Hono, the API
 * key check, body reading, validation, the request log), so
 * service minus probe is what those layers cost and probe minus the no-op
 * is what the object costs.
 *
 *   POST /apply/ID  body {"operations": [...]} (already valid) -> result
 */
/* global Response, URL */

export default {
  /**
   * @param {Request} request
   * @param {{CONVERSATIONS: DurableObjectNamespace}} env
   */
  async fetch(request, env) {
    const { operations } = await request.json();

    const id = new URL(request.url).pathname.split("/")[2] ?? "probe";
    const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
    const outcome = await stub.apply(id, operations);
    return Response.json(outcome, { status: outcome.ok ? 200 : 500 });
  },
};
