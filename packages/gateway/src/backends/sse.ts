// A small server-sent-events reader (WHATWG rules, as the openai client parses them): events are
// separated by blank lines, line ends may be \n, \r\n or \r, `data:` lines of one event are joined
// with \n, lines starting with ':' are comments (keep-alives), unknown fields are ignored, one
// leading byte-order mark is skipped.
//
// It works on bytes: line ends are found with Buffer.indexOf and only a line's value is decoded, so
// a chunk is never copied into an ever-growing string. \r and \n never occur inside a multi-byte
// UTF-8 character, so splitting bytes at them cannot cut a character; only a line that spans chunks
// is copied (once, when its end arrives).

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

/** Whether bytes [start, end) of `line` spell `name`. */
function isField(line: Buffer, start: number, end: number, name: Buffer): boolean {
  return end - start === name.length && line.compare(name, 0, name.length, start, end) === 0;
}

/** Accumulates the fields of the event being read. */
class EventBuilder {
  private data: string | undefined;
  private event: string | undefined;

  /** Takes the line [start, end) of `buf` (without its line end); returns an event at a blank line. */
  line(buf: Buffer, start: number, end: number): SseEvent | undefined {
    if (start === end) return this.dispatch();
    if (buf[start] === COLON) return undefined;
    let colon = buf.indexOf(COLON, start);
    if (colon < 0 || colon >= end) colon = end;
    let valueStart = colon < end ? colon + 1 : end;
    if (valueStart < end && buf[valueStart] === SPACE) valueStart++;
    if (isField(buf, start, colon, DATA)) {
      const value = buf.toString("utf8", valueStart, end);
      this.data = this.data === undefined ? value : `${this.data}\n${value}`;
    } else if (isField(buf, start, colon, EVENT)) {
      this.event = buf.toString("utf8", valueStart, end);
    }
    return undefined;
  }

  /** The event read so far, if it had data; starts the next one. */
  dispatch(): SseEvent | undefined {
    const event = this.data === undefined ? undefined : { event: this.event, data: this.data };
    this.data = undefined;
    this.event = undefined;
    return event;
  }
}

export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const builder = new EventBuilder();
  /** The start of a line whose end has not arrived yet. */
  let pending: Buffer | undefined;
  /** The previous chunk ended with \r: a \n starting this one belongs to it. */
  let skipLf = false;
  let first = true;

  for await (const chunk of body) {
    let buf = asBuffer(chunk);
    let pos = 0;
    if (skipLf && buf.length > 0) {
      if (buf[0] === LF) pos = 1;
      skipLf = false;
    }
    if (pending !== undefined) {
      buf = Buffer.concat([pending, buf.subarray(pos)]);
      pos = 0;
      pending = undefined;
    }
    if (first) {
      const n = Math.min(buf.length - pos, BOM.length);
      if (buf.compare(BOM, 0, n, pos, pos + n) === 0) {
        // Possibly the start of a byte-order mark split across chunks: decide when more arrives.
        if (n < BOM.length) {
          pending = Buffer.from(buf.subarray(pos));
          continue;
        }
        pos += BOM.length;
      }
      first = false;
    }
    // Next \n and \r at or after pos, each searched again only once passed (-1: none left).
    let lf = buf.indexOf(LF, pos);
    let cr = buf.indexOf(CR, pos);
    while (lf >= 0 || cr >= 0) {
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      const event = builder.line(buf, pos, end);
      pos = end + 1;
      if (end === cr) {
        if (pos === buf.length) skipLf = true;
        else if (buf[pos] === LF) pos++;
      }
      if (lf >= 0 && lf < pos) lf = buf.indexOf(LF, pos);
      if (cr >= 0 && cr < pos) cr = buf.indexOf(CR, pos);
      if (event !== undefined) yield event;
    }
    if (pos < buf.length) pending = Buffer.from(buf.subarray(pos));
  }
  if (pending !== undefined && pending.length > 0) {
    const event = builder.line(pending, 0, pending.length);
    if (event !== undefined) yield event;
  }
  // A final event without its blank line is still delivered (servers that close right after it).
  const last = builder.dispatch();
  if (last !== undefined) yield last;
}
