// A small server-sent-events reader (WHATWG rules, as the openai client parses them): events are
// separated by blank lines, line ends may be \n, \r\n or \r, `data:` lines of one event are joined
// with \n, lines starting with ':' are comments (keep-alives), unknown fields are ignored.

export interface SseEvent {
  /** The `event:` field, when present. */
  event: string | undefined;
  data: string;
}

export async function* readSseEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  let data: string[] = [];
  let event: string | undefined;
  // A lone \r at the end of a read may be the first half of \r\n: wait for more before splitting.
  const lineEnd = /\r\n|\r(?!$)|\n/;

  function* lines(final: boolean): Generator<string> {
    for (;;) {
      const m = lineEnd.exec(buffer);
      if (m === null) break;
      yield buffer.slice(0, m.index);
      buffer = buffer.slice(m.index + m[0].length);
    }
    if (final && buffer.length > 0) {
      const rest = buffer.endsWith("\r") ? buffer.slice(0, -1) : buffer;
      buffer = "";
      yield rest;
    }
  }

  function* take(line: string): Generator<SseEvent> {
    if (line === "") {
      if (data.length > 0) yield { event, data: data.join("\n") };
      data = [];
      event = undefined;
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (name === "data") data.push(value);
    else if (name === "event") event = value;
  }

  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (const line of lines(false)) yield* take(line);
  }
  buffer += decoder.decode();
  for (const line of lines(true)) yield* take(line);
  // A final event without its blank line is still delivered (servers that close right after it).
  yield* take("");
}
