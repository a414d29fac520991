// Sampled tokens to streamable text. A character outside the vocabulary is spelled with byte tokens
// (SentencePiece byte fallback, byte-level BPE), so one token may end inside a UTF-8 character:
// such tokens are held until the character completes, instead of streaming U+FFFD to the client.
import type { Token } from "node-llama-cpp";

/** A UTF-8 character spans at most 4 byte tokens; past that the bytes are invalid and released as U+FFFD. */
const MAX_HELD_TOKENS = 4;
const REPLACEMENT_CHAR = "\uFFFD";

/** node-llama-cpp's LlamaModel.detokenize(tokens, specialTokens, lastTokens). */
export type Detokenize = (tokens: Token[], specialTokens: boolean, lastTokens: Token[]) => string;

export class IncrementalDecoder {
  private readonly detokenize: Detokenize;
  private readonly promptTokens: Token[];
  /** Tokens whose text was released. */
  private readonly released: Token[] = [];
  private held: Token[] = [];

  constructor(detokenize: Detokenize, promptTokens: Token[]) {
    this.detokenize = detokenize;
    this.promptTokens = promptTokens;
  }

  /** Every token pushed so far (for repetition penalties). */
  get tokens(): Token[] {
    return this.held.length === 0 ? this.released : this.released.concat(this.held);
  }

  /** The text this token completes ("" while it is held). */
  push(token: Token): string {
    this.held.push(token);
    const text = this.decodeHeld();
    if (text.endsWith(REPLACEMENT_CHAR) && this.held.length < MAX_HELD_TOKENS) return "";
    this.released.push(...this.held);
    this.held = [];
    return text;
  }

  /** The text of held tokens when generation ends (an unfinished character becomes U+FFFD). */
  flush(): string {
    if (this.held.length === 0) return "";
    const text = this.decodeHeld();
    this.released.push(...this.held);
    this.held = [];
    return text;
  }

  /** Decoded with the tokens before them as context, so SentencePiece keeps a word's leading space. */
  private decodeHeld(): string {
    return this.detokenize(this.held, false, this.released.length > 0 ? this.released : this.promptTokens);
  }
}
