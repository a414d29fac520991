// Values as deterministic bytes: object keys sorted, bigints as decimal strings, no whitespace, so the
// same data always gives the same text and so the same hash (the engine's indexed event args, replayed
// from block 0; an epoch's input file, epochInput.ts), and the text is valid JSON for any reader.

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
