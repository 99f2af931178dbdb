/**
 * The baseline, run in workerd beside the service: a Worker that reads the
 * request body, calls a SQLite-backed Durable Object that does nothing, and
 * answers with a small JSON body. Whatever the service costs beyond this
 * is what our code costs; this is the HTTP path and the object hop alone.
 *
 *   POST|GET /noop/NAME -> {"ok": true} from the object named NAME
 */
/* global Response, URL */
import { DurableObject } from "cloudflare:workers";

/** A Durable Object that does nothing. */
export class NoopObject extends DurableObject {
  /** Answers at once; reads and writes nothing. */
  ping() {
    return { ok: true };
  }
}

export default {
  /**
   * @param {Request} request
   * @param {{NOOP: DurableObjectNamespace<NoopObject>}} env
   */
  async fetch(request, env) {
    // The service reads every body; so does the baseline.
    await request.arrayBuffer();

    const name = new URL(request.url).pathname.split("/")[2] || "noop";
    const stub = env.NOOP.get(env.NOOP.idFromName(name));
    return Response.json(await stub.ping());
  },
};
