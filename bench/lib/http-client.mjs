/**
 * A light HTTP/1.1 client over kept-alive connections, for workerd's own
 * listener on 127.0.0.1. `dispatchFetch` opens a new connection for every
 * request (Miniflare sets undici's `reset`) and runs undici's fetch, which
 * costs the load generator milliseconds of CPU per request on this
 * machine; this client costs a fraction of that, so what it measures is
 * more the server's.
 */
import { Buffer } from "node:buffer";
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

/**
 * @typedef {object} Answer
 * @property {number} status
 * @property {string} body
 * @property {number} [firstByteAt] performance.now() of the first body
 *   chunk (or of the end, for an empty body)
 */

/** A client of one listener. */
export class HttpClient {
  /** @param {URL} base e.g. the URL Miniflare listens on */
  constructor(base) {
    this.base = base;
    this.agent = new Agent({ keepAlive: true, maxSockets: 256 });
  }

  /**
   * Sends one request; the body is read whole.
   * @param {string} host the Host header (routes pick the worker by it)
   * @param {string} method
   * @param {string} path
   * @param {Record<string, string>} [headers]
   * @param {string} [body]
   * @returns {Promise<Answer>}
   */
  async send(host, method, path, headers = {}, body) {
    try {
      return await this.#once(host, method, path, headers, body);
    } catch (error) {
      // A kept-alive connection the server closed as it was reused: the
      // request never reached it (Node's documented case), so send again.
      if (error?.reusedSocket && error.code === "ECONNRESET") {
        this.retries += 1;
        return this.#once(host, method, path, headers, body);
      }
      throw error;
    }
  }

  /** Requests sent again after a reused connection was reset. */
  retries = 0;

  #once(host, method, path, headers, body) {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method,
          path,
          agent: this.agent,
          headers: {
            host,
            ...headers,
            ...(body === undefined
              ? {}
              : { "content-length": Buffer.byteLength(body) }),
          },
        },
        (res) => {
          const chunks = [];
          let firstByteAt = 0;
          res.on("data", (chunk) => {
            firstByteAt ||= performance.now();
            chunks.push(chunk);
          });
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString("utf8"),
              firstByteAt: firstByteAt || performance.now(),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", (error) => {
        error.reusedSocket = req.reusedSocket;
        reject(error);
      });
      req.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  close() {
    this.agent.destroy();
  }
}
