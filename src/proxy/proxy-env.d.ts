// The proxy's own optional variable, merged into the generated `Env` like
// those in src/env.d.ts (which the lead may move it into).
declare namespace Cloudflare {
  interface Env {
    /**
     * How long the proxy waits for an upstream, in milliseconds (default
     * 300000): for the response headers, then for the whole body of a
     * JSON answer or for each next chunk of a stream.
     */
    UPSTREAM_TIMEOUT_MS?: string;
  }
}
