// Reading an upstream's `usage` object, and the estimates used when there is none.
//
// Upstream usage (OpenAI shape): prompt_tokens, completion_tokens, total_tokens and optionally
// prompt_tokens_details.cached_tokens. Cached tokens are a SUBSET of prompt_tokens (OpenAI, vLLM),
// so inputTokens = prompt_tokens and cachedInputTokens = cached_tokens (capped at prompt_tokens);
// pricing must charge (input - cached) at the input price plus cached at the cache price, never
// input + cached. DeepSeek's prompt_cache_hit_tokens and Responses-API names (input_tokens,
// output_tokens, input_tokens_details.cached_tokens) are read too.
//
// Estimates (usage source "estimate"), used only when the upstream reported no usable usage or the
// stream ended early:
// - text: ceil(UTF-8 bytes / 4), the usual ~4 bytes per token of English BPE vocabularies, and
//   closer than characters / 4 for non-Latin scripts;
// - prompt: text of every message + 4 tokens per message (role markers) + 3 (reply cue), as in
//   OpenAI's token-counting guide; a plain completion prompt is its text;
// - output: the larger of the text estimate and the number of non-empty content deltas (servers
//   stream about one token per delta, never several deltas per token).
// For the worst-case hold an UPPER bound is used instead (promptTokensUpperBound): no tokenizer in
// use makes more tokens than UTF-8 bytes (byte-level BPE and byte-fallback SentencePiece pieces cover
// at least one byte), plus an allowance for chat-template tokens.
import { messageText } from "./prompt.ts";
import type { InferenceRequest } from "./types.ts";

export interface UpstreamUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

export function estimateTextTokens(text: string): number {
  return Math.ceil(utf8Bytes(text) / 4);
}

export const ESTIMATE_TOKENS_PER_MESSAGE = 4;
export const ESTIMATE_REPLY_CUE_TOKENS = 3;

export function estimatePromptTokens(req: InferenceRequest, countText: (text: string) => number = estimateTextTokens): number {
  if (req.kind === "completion") return countText(req.prompt);
  let tokens = ESTIMATE_REPLY_CUE_TOKENS;
  for (const m of req.messages) tokens += countText(messageText(m) + (m.name ?? "")) + ESTIMATE_TOKENS_PER_MESSAGE;
  return tokens;
}

export function estimateOutputTokens(text: string, deltas: number, countText: (text: string) => number = estimateTextTokens): number {
  return Math.max(countText(text), deltas);
}

/** Chat-template allowance of the upper bound: generous for ChatML / Llama 3 (about 5 per message). */
export const UPPER_BOUND_TOKENS_PER_MESSAGE = 8;
/** Covers BOS, the reply cue and short default system prompts some templates inject. */
export const UPPER_BOUND_TOKENS_PER_REQUEST = 32;

export function promptTokensUpperBound(req: InferenceRequest): number {
  if (req.kind === "completion") return utf8Bytes(req.prompt) + UPPER_BOUND_TOKENS_PER_REQUEST;
  let tokens = UPPER_BOUND_TOKENS_PER_REQUEST;
  for (const m of req.messages) tokens += utf8Bytes(messageText(m) + (m.name ?? "")) + UPPER_BOUND_TOKENS_PER_MESSAGE;
  return tokens;
}

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

/**
 * The usage an upstream reported, or undefined when the object is absent or unusable (missing or
 * non-integer token counts: better an explicit estimate than a silent zero).
 */
export function parseUpstreamUsage(usage: unknown): UpstreamUsage | undefined {
  if (typeof usage !== "object" || usage === null) return undefined;
  const input = count(field(usage, "prompt_tokens")) ?? count(field(usage, "input_tokens"));
  const output = count(field(usage, "completion_tokens")) ?? count(field(usage, "output_tokens"));
  if (input === undefined || output === undefined) return undefined;
  const cached =
    count(field(field(usage, "prompt_tokens_details"), "cached_tokens")) ??
    count(field(field(usage, "input_tokens_details"), "cached_tokens")) ??
    count(field(usage, "prompt_cache_hit_tokens"));
  const parsed: UpstreamUsage = { inputTokens: input, outputTokens: output };
  if (cached !== undefined) parsed.cachedInputTokens = Math.min(cached, input);
  return parsed;
}
