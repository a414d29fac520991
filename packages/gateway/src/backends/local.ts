// The `local` backend: a GGUF model run in-process by node-llama-cpp (llama.cpp), CPU only.
//
// - One context with `parallel` sequences of `contextSize` tokens each; a request takes a free
//   sequence (or queues, first come first served) so concurrent requests share the model and are
//   decoded together in llama.cpp batches.
// - threads: 1. On the 2-vCPU machine node-llama-cpp's default (max(4, cores) threads) makes the
//   ggml threads contend and generation falls from ~1,500 to 1-2 tokens/s (models/README.md).
// - Tokens are sampled here, one at a time, through LlamaContextSequence.evaluate rather than
//   LlamaCompletion, because billing needs the exact number of tokens the model sampled, which
//   LlamaCompletion does not expose (its token callback skips the end-of-sequence token and tokens
//   held back by stop triggers), and because LlamaCompletion silently keeps only the end of a prompt
//   that does not fit and shifts the context when generation fills it: we refuse such requests.
//
// Token counts (usage source "tokenizer"):
// - input = model.tokenize(rendered prompt).length: the prompt as the model's tokenizer splits it;
//   the BOS token the backend puts in front is not billed;
// - output = every token the model sampled for the request, including the end-of-text token (EOS,
//   or BOS for llama2.c models, see isEndOfText) and the tokens of a matched stop sequence, none of
//   which appear in the text.
// A request must fit: input + max_tokens <= contextLength (= contextSize - 1 for the BOS token);
// without max_tokens it may use the rest of the context. No context shift ever happens.
import {
  getLlama,
  LlamaLogLevel,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";
import { IncrementalDecoder } from "./decode.ts";
import { BackendError } from "./errors.ts";
import { DEFAULT_MODEL_FILE, findModelFile } from "./models.ts";
import { verifiedModelFile } from "./model-file.ts";
import { AbortedWhileQueued, Pool } from "./pool.ts";
import { CHAT_STOP, renderPrompt } from "./prompt.ts";
import { StopSequenceFilter } from "./stop.ts";
import type {
  Backend,
  Capability,
  CompletionResult,
  FinishReason,
  InferenceRequest,
  ModelInfo,
  ProgressListener,
  StreamEvent,
  TokenCount,
  Usage,
} from "./types.ts";

export interface LocalBackendOptions {
  /** Model id served, default "stories-260k" (template 0 of the default catalog). */
  modelId?: string;
  /** File name looked up on the model search path (models.ts), or an absolute path. */
  modelFile?: string;
  searchPath?: readonly string[];
  /** Tokens per sequence, default 512 (stories260K was trained with 512). */
  contextSize?: number;
  /** Concurrent generations (context sequences), default 4. */
  parallel?: number;
}

let sharedLlamaPromise: Promise<Llama> | undefined;

/** One native llama.cpp runtime per process, loaded on first use; never downloads or builds anything. */
export function sharedLlama(): Promise<Llama> {
  sharedLlamaPromise ??= getLlama({
    gpu: false,
    build: "never",
    skipDownload: true,
    maxThreads: 1,
    // stories260K's GGUF triggers harmless "bad special token" warnings on every load.
    logLevel: LlamaLogLevel.error,
  }).catch((err: unknown) => {
    sharedLlamaPromise = undefined;
    throw err;
  });
  return sharedLlamaPromise;
}

export class LocalBackend implements Backend {
  readonly name: string;
  readonly models: readonly ModelInfo[];
  /** Plain text only: no tools, no constrained JSON, no logprobs, no logit bias. */
  readonly capabilities: ReadonlySet<Capability> = new Set();
  readonly model: LlamaModel;
  private readonly context: LlamaContext;
  private readonly pool: Pool<LlamaContextSequence>;
  private readonly info: ModelInfo;
  private readonly bos: Token | undefined;

  private constructor(model: LlamaModel, context: LlamaContext, info: ModelInfo, name: string, bos: Token | undefined) {
    this.model = model;
    this.context = context;
    this.info = info;
    this.models = [info];
    this.name = name;
    this.bos = bos;
    const sequences: LlamaContextSequence[] = [];
    for (let i = 0; i < context.totalSequences; i++) sequences.push(context.getSequence());
    this.pool = new Pool(sequences);
  }

  static async create(opts: LocalBackendOptions = {}): Promise<LocalBackend> {
    const file = opts.modelFile ?? DEFAULT_MODEL_FILE;
    const modelPath = await verifiedModelFile(findModelFile(file, opts.searchPath));
    const contextSize = opts.contextSize ?? 512;
    const parallel = opts.parallel ?? 4;
    const llama = await sharedLlama();
    const model = await llama.loadModel({ modelPath });
    const context = await model.createContext({ contextSize, sequences: parallel, threads: 1 });
    // Same rule as llama.cpp's tokenizer (and LlamaCompletion): SPM/BPE models that ask for BOS get it.
    const bos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? model.tokens.bos : undefined;
    const contextLength = context.contextSize - (bos === undefined ? 0 : 1);
    const info: ModelInfo = {
      id: opts.modelId ?? "stories-260k",
      contextLength,
      maxOutputTokens: contextLength,
      maxCharsPerToken: longestPiece(model),
    };
    return new LocalBackend(model, context, info, `local:${file}`, bos);
  }

  /** The model's own tokenizer (no BOS), the authority for token counts. */
  tokenize(text: string): Token[] {
    return this.model.tokenize(text);
  }

  /** Sequences free right now and requests waiting for one (for metrics). */
  get load(): { free: number; queued: number } {
    return { free: this.pool.available, queued: this.pool.queued };
  }

  async countPromptTokens(req: InferenceRequest): Promise<TokenCount> {
    this.checkModel(req);
    return { tokens: this.tokenize(renderPrompt(req)).length, exact: true };
  }

  async complete(req: InferenceRequest, signal?: AbortSignal, progress?: ProgressListener): Promise<CompletionResult> {
    for await (const event of this.generate(req, signal, progress)) if (event.type === "done") return event.result;
    throw new BackendError("internal", "generation ended without a result", { beforeFirstByte: false });
  }

  stream(req: InferenceRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
    return this.generate(req, signal);
  }

  async close(): Promise<void> {
    await this.context.dispose();
    await this.model.dispose();
  }

  /**
   * End of generation: the model's end-of-generation tokens, and BOS. llama2.c models such as
   * stories260K were trained with BOS between documents and no EOS, so they end a story by sampling
   * BOS (llama2.c's own sampler stops there too); for a completion that is the end of the text.
   */
  private isEndOfText(token: Token): boolean {
    return token === this.bos || this.model.isEogToken(token);
  }

  private checkModel(req: InferenceRequest): void {
    if (req.model !== this.info.id) {
      throw new BackendError("model_not_found", `model ${req.model} is not served by ${this.name}`, { beforeFirstByte: true });
    }
  }

  /** max_tokens as asked, or the rest of the context; rejects what cannot fit instead of truncating. */
  private resolveMaxTokens(req: InferenceRequest, promptTokens: number): number {
    const { contextLength } = this.info;
    const room = contextLength - promptTokens;
    if (room < 1) {
      throw new BackendError(
        "invalid_request",
        `The prompt is ${promptTokens} tokens; ${req.model} has a context of ${contextLength} tokens for prompt and completion.`,
        { beforeFirstByte: true, param: req.kind === "chat" ? "messages" : "prompt" },
      );
    }
    if (req.maxTokens === undefined) return room;
    if (!Number.isSafeInteger(req.maxTokens) || req.maxTokens < 1) {
      throw new BackendError("invalid_request", "max_tokens must be a positive integer.", { beforeFirstByte: true, param: "max_tokens" });
    }
    if (req.maxTokens > room) {
      throw new BackendError(
        "invalid_request",
        `This model's maximum context length is ${contextLength} tokens. However, you requested ${promptTokens + req.maxTokens} tokens (${promptTokens} in the prompt, ${req.maxTokens} for the completion).`,
        { beforeFirstByte: true, param: "max_tokens" },
      );
    }
    return req.maxTokens;
  }

  private async *generate(req: InferenceRequest, signal: AbortSignal | undefined, progress?: ProgressListener): AsyncGenerator<StreamEvent> {
    this.checkModel(req);
    const promptTokens = this.tokenize(renderPrompt(req));
    const maxTokens = this.resolveMaxTokens(req, promptTokens.length);
    const input = this.bos === undefined ? promptTokens : [this.bos, ...promptTokens];
    if (input.length === 0) {
      throw new BackendError("invalid_request", "The prompt is empty.", { beforeFirstByte: true, param: "prompt" });
    }

    let evaluated = false;
    let sampled = 0;
    let text = "";
    const usage = (): Usage => ({ inputTokens: evaluated ? promptTokens.length : 0, outputTokens: sampled, source: "tokenizer" });
    const aborted = () =>
      new BackendError("aborted", "generation aborted", { beforeFirstByte: text === "", partial: { text, usage: usage() } });

    let sequence: LlamaContextSequence;
    try {
      sequence = await this.pool.acquire(signal);
    } catch (err) {
      if (err instanceof AbortedWhileQueued) throw aborted();
      throw err;
    }
    try {
      if (signal?.aborted) throw aborted();
      const decoder = new IncrementalDecoder((t, special, last) => this.model.detokenize(t, special, last), promptTokens);
      const stops = new StopSequenceFilter(req.kind === "chat" ? [...(req.stop ?? []), CHAT_STOP] : (req.stop ?? []));
      let finishReason: FinishReason = "length";
      let stopped = false;
      const frequencyPenalty = req.frequencyPenalty ?? 0;
      const presencePenalty = req.presencePenalty ?? 0;

      // Keep the cached state of a common prefix (same system prompt, same story) and evaluate the rest.
      await sequence.adaptStateToTokens(input.slice(0, -1), false);
      const fresh = input.slice(sequence.nextTokenIndex);
      evaluated = true;
      const tokens = sequence.evaluate(fresh, {
        // OpenAI defaults: temperature 1, top_p 1, no top-k.
        temperature: req.temperature ?? 1,
        topP: req.topP ?? 1,
        topK: 0,
        ...(req.seed === undefined ? {} : { seed: req.seed }),
        ...(frequencyPenalty === 0 && presencePenalty === 0
          ? {}
          : { repeatPenalty: { punishTokens: () => decoder.tokens, maxPunishTokens: maxTokens, penalty: 1, frequencyPenalty, presencePenalty } }),
        yieldEogToken: true,
      });
      for await (const token of tokens) {
        sampled++;
        progress?.(usage());
        if (this.isEndOfText(token)) {
          finishReason = "stop";
          break;
        }
        const piece = decoder.push(token);
        if (piece !== "") {
          const scan = stops.push(piece);
          if (scan.text !== "") {
            text += scan.text;
            yield { type: "delta", text: scan.text };
          }
          if (scan.stopped) {
            finishReason = "stop";
            stopped = true;
            break;
          }
        }
        if (sampled >= maxTokens) break;
        if (signal?.aborted) throw aborted();
      }
      if (!stopped) {
        // Ended by length or end of text: release what was held for a possible stop or a split character.
        const scan = stops.push(decoder.flush());
        const tail = scan.stopped ? scan.text : scan.text + stops.flush();
        if (scan.stopped) finishReason = "stop";
        if (tail !== "") {
          text += tail;
          yield { type: "delta", text: tail };
        }
      }
      yield { type: "done", result: { text, usage: usage(), finishReason } };
    } catch (err) {
      if (err instanceof BackendError) throw err;
      throw new BackendError("internal", `local generation failed: ${(err as Error).message}`, {
        beforeFirstByte: text === "",
        partial: { text, usage: usage() },
        cause: err,
      });
    } finally {
      this.pool.release(sequence);
    }
  }
}

/**
 * The longest text one token of the vocabulary decodes to, in UTF-16 code units, counting the space
 * a SentencePiece piece carries in front (only decoded after another token). Every prompt character
 * comes from some token's text (byte-fallback vocabularies never merge unknown characters), so a prompt
 * of n tokens is at most n x this long.
 */
function longestPiece(model: LlamaModel): number {
  const previous = model.tokenize("a");
  let longest = 1;
  for (const token of model.iterateAllTokens()) {
    longest = Math.max(longest, model.detokenize([token]).length, model.detokenize([token], false, previous).length);
  }
  return longest;
}
