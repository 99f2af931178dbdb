import { Hono, type MiddlewareHandler } from "hono";
import { requireApiKey } from "./auth.js";
import { HttpError } from "./http-error.js";
import { conversations } from "./routes/conversations.js";
import { live } from "./routes/live.js";
import { llm } from "./routes/llm.js";
import { operations } from "./routes/operations.js";

/** The Worker's HTTP API. */
export const app = new Hono<{ Bindings: Env }>();

app.use(async (c, next) => {
  const started = Date.now();
  await next();
  // Successes are counted by the platform's own request logs; a line per
  // refused or failed request is the event worth reading. Paths hold
  // conversation ids, never keys.
  if (c.res.status < 400) return;
  console.log(
    JSON.stringify({
      message: "request",
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Date.now() - started,
    }),
  );
});

app.get("/healthz", (c) => c.json({ ok: true }));

// The socket route checks its own credentials: a key, or a token. A plain
// test of the path costs less per request than a second router match.
const SOCKET_ROUTE = /^\/v1\/conversations\/[^/]+\/ws$/;
const apiKeyCheck = requireApiKey();
const authenticate: MiddlewareHandler<{ Bindings: Env }> = (c, next) =>
  SOCKET_ROUTE.test(c.req.path) ? next() : apiKeyCheck(c, next);
app.use("/v1/*", authenticate);
app.route("/v1/conversations", conversations);
app.route("/v1/conversations", operations);
app.route("/v1/conversations", live);
app.route("/v1/conversations", llm);

app.notFound((c) => {
  const error = new HttpError(
    404,
    "route_not_found",
    `No route for ${c.req.method} ${c.req.path}; see the README for the API.`,
  );
  return c.json(error.toBody(), error.status);
});

app.onError((error, c) => {
  if (error instanceof HttpError) {
    return c.json(error.toBody(), error.status);
  }
  console.error(
    JSON.stringify({
      message: "unhandled error",
      path: c.req.path,
      error: error instanceof Error ? error.message : String(error),
    }),
  );
  const internal = new HttpError(
    500,
    "internal_error",
    "Something went wrong on our side. Retry with the same operation " +
      "ids: what was applied is reported as a duplicate, never counted twice.",
  );
  return c.json(internal.toBody(), internal.status);
});
