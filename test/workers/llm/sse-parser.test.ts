import { describe, expect, it } from "vitest";
import { SseParser, type SseEvent } from "../../../src/llm/sse-parser.js";

const encoder = new TextEncoder();

/** Parses `bytes` fed in the given pieces, then ends the stream. */
function parseInPieces(bytes: Uint8Array, cuts: number[]): SseEvent[] {
  const parser = new SseParser();
  const events: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    events.push(...parser.push(bytes.subarray(start, cut)));
    start = cut;
  }
  events.push(...parser.end());
  return events;
}

const STREAM =
  ": a comment, then a BOM-free stream\r\n" +
  "event: message_start\r\n" +
  'data: {"type":"message_start","text":"héllo ✓ 🚀"}\r\n' +
  "\r\n" +
  "id: 7\n" +
  "data: first line\n" +
  "data:second line\n" +
  "\n" +
  "data: carriage returns alone\r\r" +
  "data: [DONE]\n\n";

const EXPECTED: SseEvent[] = [
  {
    event: "message_start",
    data: '{"type":"message_start","text":"héllo ✓ 🚀"}',
    id: "",
  },
  { event: "message", data: "first line\nsecond line", id: "7" },
  { event: "message", data: "carriage returns alone", id: "7" },
  { event: "message", data: "[DONE]", id: "7" },
];

describe("SseParser", () => {
  it("parses a whole stream fed at once", () => {
    expect(parseInPieces(encoder.encode(STREAM), [])).toEqual(EXPECTED);
  });

  it("gives the same events whatever single split point is chosen", () => {
    const bytes = encoder.encode(STREAM);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(parseInPieces(bytes, [cut]), `split at ${cut}`).toEqual(EXPECTED);
    }
  });

  it("gives the same events when fed one byte at a time", () => {
    const bytes = encoder.encode(STREAM);
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);

    expect(parseInPieces(bytes, everyByte)).toEqual(EXPECTED);
  });

  it("treats a CR ending one chunk and a LF starting the next as one CRLF", () => {
    const parser = new SseParser();

    const first = parser.push("data: a\r");
    const second = parser.push("\n\r\ndata: b\n\n");

    expect(first).toEqual([]);
    expect(second.map((e) => e.data)).toEqual(["a", "b"]);
  });

  it("ignores comment lines, such as keep-alives", () => {
    const parser = new SseParser();

    const events = parser.push(": OPENROUTER PROCESSING\n\n: ping\n\n");

    expect(events).toEqual([]);
  });

  it("dispatches nothing for an event without data lines", () => {
    const parser = new SseParser();

    const events = parser.push("event: ping\n\ndata: x\n\n");

    expect(events).toEqual([{ event: "message", data: "x", id: "" }]);
  });

  it("keeps one space after the colon as separator only", () => {
    const parser = new SseParser();

    const events = parser.push("data:  two spaces\n\n");

    expect(events[0]?.data).toBe(" two spaces");
  });

  it("dispatches an event the stream ended before its blank line", () => {
    const parser = new SseParser();
    parser.push('data: {"usage": 1}');

    expect(parser.end()).toEqual([
      { event: "message", data: '{"usage": 1}', id: "" },
    ]);
  });

  it("returns each event as soon as its blank line arrives", () => {
    const parser = new SseParser();

    const events = parser.push("data: one\n\ndata: tw");

    expect(events.map((e) => e.data)).toEqual(["one"]);
  });
});
