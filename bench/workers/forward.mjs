/**
 * The proxy's baseline, run in workerd beside the service: a Worker that
 * forwards the request to the upstream with `fetch` and passes the answer
 * back untouched (a stream stays a stream). Proxied minus forwarded is
 * what the proxy's own work costs; forwarded minus direct is the hop
 * through workerd itself.
 *
 *   POST /v1/chat/completions -> UPSTREAM/v1/chat/completions
 */
/* global fetch, URL */

export default {
  /**
   * @param {Request} request
   * @param {{UPSTREAM: string}} env
   */
  fetch(request, env) {
    const url = new URL(request.url);
    return fetch(new URL(url.pathname, env.UPSTREAM), {
      method: request.method,
      headers: {
        "content-type": "application/json",
        authorization: "Bearer bench-upstream-key",
      },
      body: request.body,
    });
  },
};
