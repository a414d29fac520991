// JSON schemas of the OpenAI request bodies we accept (validated by fastify's ajv with type coercion
// off, as OpenAI does: "1" is not a temperature), and the mapping of an ajv error to OpenAI's `param`.
import type { FastifySchemaValidationError } from "fastify";

const generation = {
  model: { type: "string", minLength: 1 },
  max_tokens: { type: ["integer", "null"], minimum: 1 },
  temperature: { type: ["number", "null"], minimum: 0, maximum: 2 },
  top_p: { type: ["number", "null"], minimum: 0, maximum: 1 },
  frequency_penalty: { type: ["number", "null"], minimum: -2, maximum: 2 },
  presence_penalty: { type: ["number", "null"], minimum: -2, maximum: 2 },
  // Only one choice per request: the hold and the bill are per generation.
  n: { type: ["integer", "null"], minimum: 1, maximum: 1 },
  stop: {
    anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, maxItems: 4 }, { type: "null" }],
  },
  seed: { type: ["integer", "null"] },
  stream: { type: ["boolean", "null"] },
  stream_options: {
    type: ["object", "null"],
    properties: { include_usage: { type: "boolean" } },
  },
  user: { type: "string" },
} as const;

const textPart = {
  type: "object",
  required: ["type", "text"],
  properties: { type: { const: "text" }, text: { type: "string" } },
} as const;

const textContent = { anyOf: [{ type: "string" }, { type: "array", items: textPart }] } as const;

const toolCall = {
  type: "object",
  required: ["id", "type", "function"],
  properties: {
    id: { type: "string" },
    type: { const: "function" },
    function: { type: "object", required: ["name", "arguments"], properties: { name: { type: "string" }, arguments: { type: "string" } } },
  },
} as const;

/**
 * OpenAI's rules per role: system, developer and user messages need text content; an assistant turn
 * needs content unless it called tools (then content may be null or absent, as every client sends
 * it in a tool conversation); a tool message needs its content and the id of the call it answers.
 */
const message = {
  type: "object",
  required: ["role"],
  properties: {
    role: { enum: ["system", "developer", "user", "assistant", "tool"] },
    content: { anyOf: [{ type: "string" }, { type: "array", items: textPart }, { type: "null" }] },
    name: { type: "string" },
    tool_calls: { type: "array", items: toolCall },
    tool_call_id: { type: "string" },
  },
  allOf: [
    {
      if: { properties: { role: { enum: ["system", "developer", "user", "tool"] } } },
      then: { required: ["content"], properties: { content: textContent } },
    },
    { if: { properties: { role: { const: "tool" } } }, then: { required: ["tool_call_id"] } },
    {
      if: { properties: { role: { const: "assistant" } }, not: { required: ["tool_calls"] } },
      then: { required: ["content"], properties: { content: textContent } },
    },
  ],
} as const;

export const chatBodySchema = {
  type: "object",
  required: ["model", "messages"],
  properties: {
    ...generation,
    max_completion_tokens: { type: ["integer", "null"], minimum: 1 },
    messages: { type: "array", minItems: 1, items: message },
  },
} as const;

export const completionBodySchema = {
  type: "object",
  required: ["model", "prompt"],
  properties: {
    ...generation,
    // One prompt per request (a batch would need one hold per prompt).
    prompt: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" }, minItems: 1, maxItems: 1 }] },
  },
} as const;

export interface ChatBody extends GenerationBody {
  messages: {
    role: "system" | "developer" | "user" | "assistant" | "tool";
    content?: string | { type: "text"; text: string }[] | null;
    name?: string;
    tool_calls?: unknown[];
    tool_call_id?: string;
  }[];
  max_completion_tokens?: number | null;
}

export interface CompletionBody extends GenerationBody {
  prompt: string | [string];
}

export interface GenerationBody {
  model: string;
  max_tokens?: number | null;
  temperature?: number | null;
  top_p?: number | null;
  frequency_penalty?: number | null;
  presence_penalty?: number | null;
  n?: number | null;
  stop?: string | string[] | null;
  seed?: number | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  user?: string;
}

/** OpenAI's param path: `/messages/0/role` -> `messages[0].role`; a missing property names itself. */
export function paramOf(error: FastifySchemaValidationError): string | null {
  const segments = error.instancePath.split("/").filter((s) => s !== "");
  const missing = (error.params as { missingProperty?: unknown }).missingProperty;
  if (typeof missing === "string") segments.push(missing);
  if (segments.length === 0) return null;
  return segments.reduce((path, s) => (/^\d+$/.test(s) ? `${path}[${s}]` : path === "" ? s : `${path}.${s}`), "");
}
