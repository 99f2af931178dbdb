/**
 * An incremental parser of server-sent events (the WHATWG event-stream
 * format): bytes in, events out. Chunks may split anywhere, inside a line,
 * a multi-byte character or a CRLF pair. Lines end in LF, CR or CRLF;
 * lines starting with ":" are comments; `retry` is ignored because nothing
 * here reconnects.
 */

/** One dispatched event. */
export interface SseEvent {
  /** The `event:` field; "message" when the event named none. */
  event: string;
  /** The `data:` lines, joined with "\n". */
  data: string;
  /** The last `id:` seen so far in the stream ("" when none). */
  id: string;
}

const LINE_END = /\r\n|\r|\n/g;

/**
 * Feed it with `push` as chunks arrive and call `end` once when the stream
 * ends. Each call returns the events completed by that input.
 *
 * @example
 * const parser = new SseParser();
 * for await (const chunk of body) handle(parser.push(chunk));
 * handle(parser.end());
 */
export class SseParser {
  readonly #decoder = new TextDecoder();
  #partialLine = "";
  #skipLeadingLf = false;
  #eventType = "";
  #dataLines: string[] = [];
  #lastId = "";

  /** Parses the next chunk of the stream. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text =
      typeof chunk === "string"
        ? chunk
        : this.#decoder.decode(chunk, { stream: true });
    const events: SseEvent[] = [];
    this.#feed(text, events);
    return events;
  }

  /**
   * Ends the stream. Unlike a browser, which drops an event that the stream
   * ended before its blank line, this dispatches it: a meter wants every
   * usage report an upstream sent, and a truncated one fails to parse on
   * its own.
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    this.#feed(this.#decoder.decode(), events);

    if (this.#partialLine !== "") {
      this.#line(this.#partialLine, events);
      this.#partialLine = "";
    }
    this.#dispatch(events);
    return events;
  }

  #feed(text: string, events: SseEvent[]): void {
    let start = 0;
    if (this.#skipLeadingLf && text !== "") {
      // The previous chunk ended with CR: a LF here completes that CRLF.
      start = text.startsWith("\n") ? 1 : 0;
      this.#skipLeadingLf = false;
    }

    LINE_END.lastIndex = start;
    for (let m = LINE_END.exec(text); m !== null; m = LINE_END.exec(text)) {
      const line = this.#partialLine + text.slice(start, m.index);
      this.#partialLine = "";
      this.#line(line, events);
      start = LINE_END.lastIndex;
      this.#skipLeadingLf = m[0] === "\r" && start === text.length;
    }

    this.#partialLine += text.slice(start);
  }

  #line(line: string, events: SseEvent[]): void {
    if (line === "") {
      this.#dispatch(events);
      return;
    }
    if (line.startsWith(":")) {
      return;
    }

    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) {
      value = value.slice(1);
    }

    if (field === "data") {
      this.#dataLines.push(value);
    } else if (field === "event") {
      this.#eventType = value;
    } else if (field === "id" && !value.includes("\0")) {
      this.#lastId = value;
    }
  }

  #dispatch(events: SseEvent[]): void {
    if (this.#dataLines.length > 0) {
      events.push({
        event: this.#eventType || "message",
        data: this.#dataLines.join("\n"),
        id: this.#lastId,
      });
    }
    this.#eventType = "";
    this.#dataLines = [];
  }
}
