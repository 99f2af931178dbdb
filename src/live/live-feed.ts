import { notFound, refuse, type Refusal } from "../conversation/outcome.js";
import type { ConversationRecord } from "../conversation/record.js";
import type { AppliedOperation } from "../operations/applied.js";
import { attachState, socketState } from "./attachment.js";
import { UpdateFanOut } from "./fan-out.js";
import { sendOpening } from "./opening.js";
import { answerFrame, type ApplyBatch } from "./receive.js";
import { closeQuietly } from "./send.js";
import { readUpgrade } from "./upgrade.js";

/** The close code when the conversation is erased under its sockets. */
export const ERASED_CLOSE_CODE = 4404;

/** Codes the runtime reports for a close without a close frame. */
const RESERVED_CLOSE_CODES = new Set([1005, 1006, 1015]);

/** What the feed needs from the conversation object that holds it. */
export interface LiveFeedHost {
  ctx: DurableObjectState;
  record(): ConversationRecord;
  apply: ApplyBatch;
}

/**
 * The live WebSocket feed of one conversation (src/live/protocol.ts), on
 * the hibernation API: the object accepts the sockets, so an idle feed
 * costs nothing and its sockets outlive the object's hibernation.
 */
export class LiveFeed {
  readonly #host: LiveFeedHost;
  readonly #fanOut: UpdateFanOut;

  constructor(host: LiveFeedHost) {
    this.#host = host;
    this.#fanOut = new UpdateFanOut({
      sockets: () => host.ctx.getWebSockets(),
      // No count API exists; the list is short exactly when it is cheap.
      hasSockets: () => host.ctx.getWebSockets().length > 0,
      totals: () => host.record().totals(),
    });
  }

  /** Queues operations just applied, by any path, for every socket. */
  publish(operations: readonly AppliedOperation[]): void {
    this.#fanOut.publish(operations);
  }

  /**
   * Opens a socket for an upgrade request the Worker forwarded. An absent
   * conversation is refused with 404 before the upgrade.
   */
  connect(request: Request): Response {
    const options = readUpgrade(request);
    if (options === null) {
      return errorResponse(
        refuse(400, "invalid_upgrade", "Open sockets through the Worker."),
      );
    }
    const record = this.#host.record();
    if (!record.exists) return errorResponse(notFound(options.conversationId));

    // From here to the return nothing awaits. The open sockets get what
    // waits first, so the new one starts at the seq they all stand at.
    this.#fanOut.flush();
    const { 0: client, 1: server } = new WebSocketPair();
    this.#host.ctx.acceptWebSocket(server);
    attachState(server, {
      conversationId: options.conversationId,
      access: options.access,
    });
    sendOpening(server, record, options.after);

    console.log(
      JSON.stringify({
        message: "socket opened",
        conversationId: options.conversationId,
        access: options.access,
        after: options.after,
        seq: record.seq,
      }),
    );
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Answers a frame a client sent. */
  receive(ws: WebSocket, message: string | ArrayBuffer): void {
    answerFrame(ws, message, this.#host.apply);
  }

  /**
   * Completes the close a client began. No state of a socket lives
   * outside it, so there is nothing else to clean up.
   */
  closed(ws: WebSocket, code: number, reason: string): void {
    // Hibernatable sockets were seen here (workerd 2026-04-26) not to
    // answer by themselves: without this the client never sees its close.
    // Reserved codes mean no close frame came, so none is answered.
    if (!RESERVED_CLOSE_CODES.has(code)) closeQuietly(ws, code, reason);
  }

  /** Logs a socket that failed; the runtime closes it. */
  failed(ws: WebSocket, error: unknown): void {
    console.log(
      JSON.stringify({
        message: "LiveFeed: socket error",
        conversationId: socketState(ws)?.conversationId,
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  /** Sends what waits now; before an erase, while totals still exist. */
  flush(): void {
    this.#fanOut.flush();
  }

  /** Closes every socket, for example when the conversation is erased. */
  closeAll(code: number, reason: string): void {
    for (const ws of this.#host.ctx.getWebSockets()) {
      closeQuietly(ws, code, reason);
    }
  }
}

function errorResponse(refusal: Refusal): Response {
  const body = { error: { type: refusal.type, message: refusal.message } };
  return Response.json(body, { status: refusal.status });
}
