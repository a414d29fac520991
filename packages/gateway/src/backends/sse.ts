// A small server-sent-events reader (WHATWG rules, as the openai client parses them): events are
// separated by blank lines, line ends may be \n, \r\n or \r, `data:` lines of one event are joined
// with \n, lines starting with ':' are comments (keep-alives), unknown fields are ignored, one
// leading byte-order mark is skipped.
//
// It works on bytes: line ends are found with Buffer.indexOf and only a line's value is decoded, so
// a chunk is never copied into an ever-growing string. \r and \n never occur inside a multi-byte
// UTF-8 character, so splitting bytes at them cannot cut a character; only a line that spans chunks
// is copied (once, when its end arrives). SseParser is synchronous (no promise per event);
// readSseBatches / readSseEvents wrap it for any async iterable of bytes.

export interface SseEvent {
  /** The `event:` field, when present. */
  event: string | undefined;
  data: string;
}

const LF = 0x0a;
const CR = 0x0d;
const COLON = 0x3a;
const SPACE = 0x20;
const DATA = Buffer.from("data");
const EVENT = Buffer.from("event");
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** Whether bytes [start, end) of `bytes` spell `name` (a loop: field names are 4-5 bytes, cheaper than a native call). */
function spells(bytes: Buffer, start: number, end: number, name: Buffer): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (bytes[start + i] !== name[i]) return false;
  return true;
}

/** Parses SSE from chunks of bytes as they arrive: push() each chunk, end() once at the end. */
export class SseParser {
  private data: string | undefined;
  private event: string | undefined;
  /** The start of a line whose end has not arrived yet. */
  private pending: Buffer | undefined;
  /** The previous chunk ended with \r: a \n starting this one belongs to it. */
  private skipLf = false;
  /** No byte seen yet that rules out a leading byte-order mark. */
  private first = true;

  /** The events the chunk completes, in order. */
  push(chunk: Uint8Array): SseEvent[] {
    const events: SseEvent[] = [];
    let buf = asBuffer(chunk);
    let pos = 0;
    if (this.skipLf && buf.length > 0) {
      if (buf[0] === LF) pos = 1;
      this.skipLf = false;
    }
    if (this.pending !== undefined) {
      buf = Buffer.concat([this.pending, buf.subarray(pos)]);
      pos = 0;
      this.pending = undefined;
    }
    if (this.first) {
      const n = Math.min(buf.length - pos, BOM.length);
      if (spells(buf, pos, pos + n, BOM.subarray(0, n))) {
        // Possibly the start of a byte-order mark split across chunks: decide when more arrives.
        if (n < BOM.length) {
          this.pending = Buffer.from(buf.subarray(pos));
          return events;
        }
        pos += BOM.length;
      }
      this.first = false;
    }
    // Next \n and \r at or after pos, each searched again only once passed (-1: none left).
    let lf = buf.indexOf(LF, pos);
    let cr = buf.indexOf(CR, pos);
    while (lf >= 0 || cr >= 0) {
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      this.line(buf, pos, end, events);
      pos = end + 1;
      if (end === cr) {
        if (pos === buf.length) this.skipLf = true;
        else if (buf[pos] === LF) pos++;
      }
      if (lf >= 0 && lf < pos) lf = buf.indexOf(LF, pos);
      if (cr >= 0 && cr < pos) cr = buf.indexOf(CR, pos);
    }
    // Copied, so a small unfinished line does not keep a whole chunk (or its socket buffer) alive.
    if (pos < buf.length) this.pending = Buffer.from(buf.subarray(pos));
    return events;
  }

  /** The events left at the end of the body: a last line without its line end, an event without its blank line. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.pending !== undefined && this.pending.length > 0) this.line(this.pending, 0, this.pending.length, events);
    this.pending = undefined;
    // A final event without its blank line is still delivered (servers that close right after it).
    this.dispatch(events);
    return events;
  }

  /** Takes the line [start, end) of `buf` (without its line end). */
  private line(buf: Buffer, start: number, end: number, events: SseEvent[]): void {
    if (start === end) return this.dispatch(events);
    if (buf[start] === COLON) return;
    let colon = buf.indexOf(COLON, start);
    if (colon < 0 || colon >= end) colon = end;
    let valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && buf[valueStart] === SPACE) valueStart++;
    if (spells(buf, start, colon, DATA)) {
      const value = buf.toString("utf8", valueStart, end);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    } else if (spells(buf, start, colon, EVENT)) {
      this.event = buf.toString("utf8", valueStart, end);
    }
  }

  /** Ends the event read so far (delivered if it had data) and starts the next one. */
  private dispatch(events: SseEvent[]): void {
    if (this.data !== undefined) events.push({ event: this.event, data: this.data });
    this.data = undefined;
    this.event = undefined;
  }
}

/** The events of a body, one batch per chunk (a promise per chunk, not per event). */
export async function* readSseBatches(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent[]> {
  const parser = new SseParser();
  for await (const chunk of body) yield parser.push(chunk);
  yield parser.end();
}

export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  for await (const events of readSseBatches(body)) yield* events;
}
