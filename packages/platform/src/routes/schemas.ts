// JSON schemas and route options the routes share.
export const signedMessageBody = {
  type: "object",
  required: ["message", "signature"],
  additionalProperties: false,
  properties: {
    message: { type: "string", minLength: 1, maxLength: 4_096 },
    // An EOA signature is 65 bytes; ERC-1271 and ERC-6492 ones are longer.
    signature: { type: "string", pattern: "^0x([0-9a-fA-F]{2})+$", maxLength: 65_536 },
  },
} as const;

export interface SignedMessage {
  message: string;
  signature: `0x${string}`;
}

export const ADDRESS_PATTERN = "^0x[0-9a-fA-F]{40}$";
export const addressSchema = { type: "string", pattern: ADDRESS_PATTERN, description: "A 0x-prefixed 20-byte address." } as const;
/** A uint256 or micro-USD amount on the wire: decimal digits (bigint-exact, never a float). */
export const amountSchema = { type: "string", pattern: "^(0|[1-9][0-9]{0,77})$", description: "An integer as decimal digits." } as const;

/** Every error answer (errors.ts), documented on every route. */
const errorResponse = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" } },
    },
  },
} as const;
/** The route's own answers (if it documents them) and the error answers. */
const withErrors = (schema: { response?: object }) => ({ "4xx": errorResponse, "5xx": errorResponse, ...schema.response });

/** Options of a route that needs a signed-in session: documented as such, rate-limited per session. */
export function sessionRoute<S extends object>(tag: string, summary: string, schema: S = {} as S) {
  return {
    config: { session: true },
    schema: { tags: [tag], summary, security: [{ session: [] }], ...schema, response: withErrors(schema) },
  };
}

/** Options of a public route (no session). */
export function publicRoute<S extends object>(tag: string, summary: string, schema: S = {} as S) {
  return { schema: { tags: [tag], summary, ...schema, response: withErrors(schema) } };
}

/** ISO-8601 of an epoch-ms time, or null. */
export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
