// Values as deterministic bytes: object keys sorted, bigints as decimal strings, no whitespace, so the
// same data always gives the same text and so the same hash (the engine's indexed event args, replayed
// from block 0; an epoch's input file, epochInput.ts), and the text is valid JSON for any reader.
// A text longer than V8's longest string (2^29 characters: an epoch of tens of millions of usage
// records) cannot be one string: canonicalJsonChunks gives the same text in pieces, and
// parseJsonChunks reads JSON back from pieces (bench/epoch, docs/operations.md#epoch-settlement-at-scale).

/**
 * Canonical JSON of `value`: keys sorted, bigints as decimal strings, no whitespace.
 *
 * @example
 * canonicalJson({ b: 2n, a: [1, "x"] }); // '{"a":[1,"x"],"b":"2"}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(object).sort().map((key) => [key, canonical(object[key])]));
  }
  return value;
}

const isContainer = (value: unknown): value is object => value !== null && typeof value === "object";

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const isOmitted = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol";

/**
 * `canonicalJson(value)` in pieces, in order: their concatenation is exactly that text. Arrays are
 * cut between elements and objects holding arrays or objects between members; the rest comes whole
 * (each piece is whole tokens, so encoding the pieces one by one gives the text's UTF-8 bytes).
 *
 * @example
 * for (const piece of canonicalJsonChunks({ rows: hugeArray })) out.write(piece);
 */
export function* canonicalJsonChunks(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    yield "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) yield ",";
      if (isOmitted(value[i])) yield "null";
      else yield* canonicalJsonChunks(value[i]);
    }
    yield "]";
    return;
  }
  if (!isContainer(value) || !Object.values(value).some(isContainer)) {
    yield canonicalJson(value);
    return;
  }
  const object = value as Record<string, unknown>;
  let first = true;
  yield "{";
  for (const key of Object.keys(object).sort()) {
    if (isOmitted(object[key])) continue;
    yield `${first ? "" : ","}${JSON.stringify(key)}:`;
    first = false;
    yield* canonicalJsonChunks(object[key]);
  }
  yield "}";
}

/** Unicode code units of the JSON syntax the reader steps through. */
const code = (c: string) => c.charCodeAt(0);
const [QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA, COLON] = [
  code('"'), code("\\"), code("{"), code("}"), code("["), code("]"), code(","), code(":"),
];
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/**
 * Parses JSON given in pieces (any cut, e.g. a file's chunks decoded as they come) into the value
 * JSON.parse would give for their concatenation, without ever holding that text whole: each array
 * element or member that lies within the text read so far is handed to JSON.parse whole, the
 * containers around it are built here. Throws a SyntaxError for invalid JSON.
 *
 * @example
 * const value = await parseJsonChunks(textChunksOf(createReadStream("epochs/12.json")));
 */
export async function parseJsonChunks(chunks: AsyncIterable<string> | Iterable<string>): Promise<unknown> {
  const source = (Symbol.asyncIterator in chunks ? chunks[Symbol.asyncIterator]() : (chunks as Iterable<string>)[Symbol.iterator]()) as
    | AsyncIterator<string>
    | Iterator<string>;
  let text = "";
  let at = 0;
  let ended = false;
  /** Reads the next piece onto the unread text; false at the end of the input. */
  const more = async (): Promise<boolean> => {
    while (!ended) {
      const next = await source.next();
      if (next.done) ended = true;
      else if (next.value.length > 0) {
        text = text.slice(at) + next.value;
        at = 0;
        return true;
      }
    }
    return false;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: ${what}`);
  };
  /** The next character that is not white space (-1 at the end of the input), `at` left on it. */
  const peek = async (): Promise<number> => {
    for (;;) {
      while (at < text.length && isSpace(text.charCodeAt(at))) at++;
      if (at < text.length) return text.charCodeAt(at);
      if (!(await more())) return -1;
    }
  };
  /** The index after the value starting at `at`, if it ends within the text read so far (-1 otherwise). */
  const endOfValue = (): number => {
    const first = text.charCodeAt(at);
    if (first === QUOTE) {
      for (let i = at + 1; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) i++;
        else if (c === QUOTE) return i + 1;
      }
      return -1;
    }
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      for (let i = at; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) return i;
      }
      return ended ? text.length : -1;
    }
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === QUOTE) {
        for (i++; i < text.length; i++) {
          const s = text.charCodeAt(i);
          if (s === BACKSLASH) i++;
          else if (s === QUOTE) break;
        }
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return i + 1;
    }
    return -1;
  };
  /** A value that lies whole in the text, parsed; or undefined for a container to build piece by piece. */
  const whole = async (): Promise<{ value: unknown } | undefined> => {
    for (;;) {
      const end = endOfValue();
      if (end >= 0) {
        const value: unknown = JSON.parse(text.slice(at, end));
        at = end;
        return { value };
      }
      const c = text.charCodeAt(at);
      if (c === OPEN_BRACE || c === OPEN_BRACKET) return undefined;
      if (ended) fail("unexpected end of input");
      await more();
    }
  };
  const expect = async (code: number, what: string) => {
    if ((await peek()) !== code) fail(`expected ${what} at ${JSON.stringify(text.slice(at, at + 20))}`);
    at++;
  };
  const key = async (): Promise<string> => {
    if ((await peek()) !== QUOTE) fail(`expected a member name at ${JSON.stringify(text.slice(at, at + 20))}`);
    const name = (await whole())!.value as string;
    await expect(COLON, "':'");
    return name;
  };
  const set = (object: Record<string, unknown>, name: string, value: unknown) => {
    // As JSON.parse does: "__proto__" is an own member, not the prototype.
    Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
  };

  interface Frame {
    container: unknown[] | Record<string, unknown>;
    name?: string;
  }
  const stack: Frame[] = [];
  let result: unknown;
  /** Puts a finished value in its container (or makes it the result); true when the top value is done. */
  const place = (value: unknown): boolean => {
    const top = stack.at(-1);
    if (!top) {
      result = value;
      return true;
    }
    if (Array.isArray(top.container)) top.container.push(value);
    else set(top.container, top.name!, value);
    return false;
  };

  for (;;) {
    if ((await peek()) === -1) fail("unexpected end of input");
    let done = false;
    const parsed = await whole();
    if (parsed) done = place(parsed.value);
    else {
      const opening = text.charCodeAt(at++);
      const frame: Frame = { container: opening === OPEN_BRACKET ? [] : {} };
      const closing = opening === OPEN_BRACKET ? CLOSE_BRACKET : CLOSE_BRACE;
      if ((await peek()) === closing) {
        at++;
        done = place(frame.container);
      } else {
        if (opening === OPEN_BRACE) frame.name = await key();
        stack.push(frame);
        continue;
      }
    }
    // After a value: the next member or element, or the end of containers.
    while (!done) {
      const top = stack.at(-1)!;
      const c = await peek();
      if (c === COMMA) {
        at++;
        if (!Array.isArray(top.container)) top.name = await key();
        break;
      }
      if (c !== (Array.isArray(top.container) ? CLOSE_BRACKET : CLOSE_BRACE)) fail(`expected ',' or the container's end at ${JSON.stringify(text.slice(at, at + 20))}`);
      at++;
      stack.pop();
      done = place(top.container);
    }
    if (done) break;
  }
  if ((await peek()) !== -1) fail(`unexpected ${JSON.stringify(text.slice(at, at + 20))} after the value`);
  return result;
}
