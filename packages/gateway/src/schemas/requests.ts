// JSON schemas of the OpenAI request bodies we accept (validated by fastify's ajv with type coercion
// off, as OpenAI does: "1" is not a temperature), and the request types derived from them, so a rule
// is written once: the routes get typed bodies through fastify's json-schema-to-ts type provider.
import type { FromSchema } from "json-schema-to-ts";

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

/** No backend here computes embeddings yet: the body is only checked enough to name the model. */
export const embeddingBodySchema = {
  type: "object",
  required: ["model", "input"],
  properties: { model: { type: "string", minLength: 1 } },
} as const;

/** Request bodies as the schemas above accept them: written once, as schemas, and derived here. */
export type ChatBody = FromSchema<typeof chatBodySchema>;
export type CompletionBody = FromSchema<typeof completionBodySchema>;
export type EmbeddingBody = FromSchema<typeof embeddingBodySchema>;
/** What chat and completion bodies share. */
export type GenerationBody = ChatBody | CompletionBody;
