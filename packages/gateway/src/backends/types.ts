// The contract between the API layer and whatever produces tokens (the in-process GGUF model or an
// OpenAI-compatible upstream). The API validates and normalises OpenAI requests into these types,
// calls a Backend, and meters from the Usage it gets back; backends never see keys, accounts or money.

/** A message of a chat request. Only text is supported; the API rejects other content parts. */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  content: string | readonly TextPart[] | null;
  name?: string;
}

export interface TextPart {
  type: "text";
  text: string;
}

/** Sampling and length options shared by chat and plain completions (OpenAI names in camelCase). */
export interface GenerationOptions {
  /** Served model id (after the API mapped a deployment `<base>-<ticker>` to its base model). */
  model: string;
  /** Upper bound on generated tokens. When absent, the backend uses what is left of the model's context. */
  maxTokens?: number;
  /** 0..2, OpenAI default 1. 0 is greedy decoding. */
  temperature?: number;
  /** 0..1, OpenAI default 1. */
  topP?: number;
  /** At most 4 (validated by the API). The stop text is not part of the output. */
  stop?: readonly string[];
  /** Best-effort reproducibility where the backend supports it. */
  seed?: number;
  /** -2..2, OpenAI semantics: subtracted from the logit of every token already generated (× count for frequency). */
  frequencyPenalty?: number;
  presencePenalty?: number;
}

export interface ChatRequest extends GenerationOptions {
  kind: "chat";
  messages: readonly ChatMessage[];
}

export interface CompletionRequest extends GenerationOptions {
  kind: "completion";
  prompt: string;
}

export type InferenceRequest = ChatRequest | CompletionRequest;

/**
 * Where a token count comes from; stored on every usage record.
 * - tokenizer: counted by the model's own tokenizer while we generated (authoritative).
 * - upstream: reported by the upstream in its `usage` object.
 * - estimate: the upstream reported nothing usable, or the stream ended early; see usage.ts for the rule.
 */
export type UsageSource = "tokenizer" | "upstream" | "estimate";

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** Part of inputTokens served from a prompt cache (a subset, never in addition). Absent when unknown. */
  cachedInputTokens?: number;
  source: UsageSource;
}

/** OpenAI's reasons reduced to what the API reports; an upstream's other reasons map to "stop". */
export type FinishReason = "stop" | "length";

export interface CompletionResult {
  text: string;
  usage: Usage;
  finishReason: FinishReason;
}

/** What a stream yields: text deltas, then exactly one `done` event with the final result. */
export type StreamEvent = { type: "delta"; text: string } | { type: "done"; result: CompletionResult };

export interface TokenCount {
  tokens: number;
  /** True when counted by the serving model's tokenizer; false for an upper-bound estimate (see usage.ts). */
  exact: boolean;
}

export interface ModelInfo {
  id: string;
  /** Largest inputTokens + maxTokens a request may ask for. */
  contextLength: number;
  /** Largest maxTokens alone. */
  maxOutputTokens: number;
}

/**
 * One engine serving one or more model ids.
 *
 * Errors are always BackendError (errors.ts). Aborting `signal` stops generation promptly: the pending
 * call (or the next read of a stream) rejects with a BackendError of code "aborted" whose `partial`
 * carries the text and usage produced so far, so the caller can bill what was generated.
 * Stopping a stream by `return()`/`break` also frees the backend but reports nothing: abort, then read.
 */
export interface Backend {
  /** Short name for logs and metrics, e.g. "local:stories260K.gguf" or "openai:http://host:8000/v1". */
  readonly name: string;
  readonly models: readonly ModelInfo[];
  /** Prompt tokens of the request as the model will see it, for the worst-case hold. */
  countPromptTokens(req: InferenceRequest): Promise<TokenCount>;
  complete(req: InferenceRequest, signal?: AbortSignal): Promise<CompletionResult>;
  stream(req: InferenceRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
  close(): Promise<void>;
}
