/**
 * A streamed body of server-sent events that hands out one event per read,
 * as a real upstream's arrive, rather than one block holding them all.
 */

const encoder = new TextEncoder();

/** One event as it goes on the wire. */
export function sseEvent(data: unknown, event?: string): string {
  const name = event === undefined ? "" : `event: ${event}\n`;
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  return `${name}data: ${payload}\n\n`;
}

/** A Response streaming `events`, one per chunk. */
export function sseResponse(events: readonly string[]): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const event = events[next++];
        if (event === undefined) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(event));
      },
    },
    { highWaterMark: 0 },
  );

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
    },
  });
}

/** The reply text cut into word-sized pieces, as tokens stream. */
export function textPieces(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}
