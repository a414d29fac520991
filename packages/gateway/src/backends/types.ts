// The contract between the API layer and whatever produces tokens (the in-process GGUF model or an
// OpenAI-compatible upstream). The API validates and normalises OpenAI requests into these types,
// calls a Backend, and meters from the Usage it gets back; backends never see keys, accounts or money.

/** A message of a chat request. Only text is supported; the API rejects other content parts. */
export interface ChatMessage {
  role: "system" | "developer" | "user" | "assistant" | "tool";
  /** Null (or absent) only on an assistant turn that called tools (validated by the API). */
  content: string | readonly TextPart[] | null;
  name?: string;
  /** An assistant turn's tool calls, passed as is to a backend that renders them (the local one ignores them). */
  tool_calls?: readonly unknown[];
  /** The call a tool message answers. */
  tool_call_id?: string;
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
  /**
   * The most UTF-16 code units one token of the vocabulary stands for (its longest piece, with the
   * space a piece may carry in front). A prompt longer than contextLength x this cannot fit, so the
   * API refuses it without tokenizing it. Absent when unknown (no bound before counting).
   */
  maxCharsPerToken?: number;
}

/**
 * Request features beyond plain text generation. A backend lists the ones it honours; the API answers
 * 400 naming the parameter for any other one instead of ignoring it (and billing the request).
 */
export type Capability =
  /** tools / tool_choice / functions: the model may answer with tool calls. */
  | "tools"
  /** response_format json_object / json_schema: constrained JSON output. */
  | "json_output"
  /** logprobs / top_logprobs in the response. */
  | "logprobs"
  /** logit_bias applied while sampling. */
  | "logit_bias";

/** Called as a generation progresses with a lower bound of its usage so far (for crash checkpoints). */
export type ProgressListener = (usage: Usage) => void;

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
  /** The request features it honours (none when absent). */
  readonly capabilities?: ReadonlySet<Capability>;
  /** Prompt tokens of the request as the model will see it, for the worst-case hold. */
  countPromptTokens(req: InferenceRequest): Promise<TokenCount>;
  /** `progress`, where the backend can report it, sees the usage grow while the model generates. */
  complete(req: InferenceRequest, signal?: AbortSignal, progress?: ProgressListener): Promise<CompletionResult>;
  stream(req: InferenceRequest, signal?: AbortSignal): AsyncIterable<StreamEvent>;
  close(): Promise<void>;
}
