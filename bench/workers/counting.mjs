/**
 * The service, unchanged, with its Durable Object subclassed to read the
 * SQLite cursor counters (`rowsWritten`, `rowsRead`) of every statement it
 * runs: what Cloudflare bills. The source stays as it is; the counters are
 * read from outside, by wrapping `SqlStorage.prototype.exec` in this
 * isolate. Write statements run when `exec` is called, so their counters
 * are final at once; reads are final once the code has consumed them,
 * which it does before an RPC call returns.
 *
 *   GET /__bench/counters/ID -> {"statements": {sql: {calls, rowsWritten,
 *     rowsRead}}}: every statement run in this isolate since the previous
 *     call (send one request at a time), then resets them
 *   anything else           -> the service
 */
/* global Response, URL */
import app, { ConversationMetrics } from "../.out/dist/index.js";

/** Cursors not yet added to the tally, with their statement. */
let pending = [];

/** Wraps `exec` once per isolate; later calls do nothing. */
function countCursors(sql) {
  const proto = Object.getPrototypeOf(sql);
  if (proto.exec.counting) return;

  const exec = proto.exec;
  const counting = function (query, ...bindings) {
    const cursor = exec.call(this, query, ...bindings);
    pending.push({ query, cursor });
    return cursor;
  };
  counting.counting = true;
  proto.exec = counting;
}

const STATEMENT_HEAD = new RegExp(
  "^(INSERT OR REPLACE INTO \\w+|INSERT INTO \\w+|SELECT .*? FROM \\w+|" +
    "UPDATE \\w+|DELETE FROM \\w+)",
  "i",
);

/** The statement's first words: its kind and table. */
function label(query) {
  const flat = query.replace(/\s+/g, " ").trim();
  const match = STATEMENT_HEAD.exec(flat);
  return match ? match[1] : flat.slice(0, 48);
}

/** The service's object, counting the rows its statements touch. */
export class CountingConversationMetrics extends ConversationMetrics {
  constructor(ctx, env) {
    countCursors(ctx.storage.sql);
    super(ctx, env);
  }

  /** The counters since the previous call, by statement; then resets. */
  benchCounters() {
    const statements = {};
    for (const { query, cursor } of pending) {
      const key = label(query);
      const entry = (statements[key] ??= {
        calls: 0,
        rowsWritten: 0,
        rowsRead: 0,
      });
      entry.calls += 1;
      entry.rowsWritten += cursor.rowsWritten;
      entry.rowsRead += cursor.rowsRead;
    }
    pending = [];
    return { statements };
  }
}

export default {
  /**
   * @param {Request} request
   * @param {{CONVERSATIONS: DurableObjectNamespace}} env
   * @param {ExecutionContext} ctx
   */
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    if (!path.startsWith("/__bench/counters/")) {
      return app.fetch(request, env, ctx);
    }

    const id = path.split("/")[3] ?? "";
    const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
    return Response.json(await stub.benchCounters());
  },
};
