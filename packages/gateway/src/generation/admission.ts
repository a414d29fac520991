// Admission of a generation before any hold: what can refuse it without tokenizing the prompt (the
// account's floor, the prompt's size in characters), then, once counted, its length against the
// model's context and the key's RPM/TPM limits.
import type { Pricing } from "@fomo/sdk";
import type { InferenceRequest, ModelInfo } from "../backends/types.ts";
import type { ServedModel } from "../catalog/index.ts";
import { insufficientQuota, invalidRequest, rateLimited } from "../errors/index.ts";
import type { AuthenticatedKey } from "@fomo/ledger";
import { worstCaseCost } from "@fomo/sdk";
import type { RateLimiter } from "../ratelimit/index.ts";

export type Kind = InferenceRequest["kind"];

/**
 * 402 before any work when the account (or the key's spend cap) cannot pay even the smallest request
 * of this model: no prompt and one output token. The balance is the one read when the key was
 * authenticated (at most KEY_CACHE_TTL_MS old); the hold in Metering.reserve is what really decides.
 */
export function admitFloor(key: AuthenticatedKey, served: ServedModel): void {
  const least = smallestCharge(served.pricing);
  if (key.accountAvailable < least) {
    throw insufficientQuota(
      "insufficient_credits",
      `Insufficient credits: the account has ${key.accountAvailable} micro-USD available; the smallest request to ${served.id} costs ${least}.`,
    );
  }
  if (key.spendCap !== null && key.spendCap - key.spent - key.held < least) {
    throw insufficientQuota("spend_cap_reached", `This key's spend cap of ${key.spendCap} micro-USD is reached.`);
  }
}

/** Per price terms (catalog objects live as long as their model is served): no bigint math per request. */
const smallestCharges = new WeakMap<Pricing, bigint>();
function smallestCharge(pricing: Pricing): bigint {
  let least = smallestCharges.get(pricing);
  if (least === undefined) smallestCharges.set(pricing, (least = worstCaseCost(pricing, 0n, 1n)));
  return least;
}

/** Characters of the prompt's text: the rendered prompt is at least this long. */
function promptChars(inference: InferenceRequest): number {
  if (inference.kind === "completion") return inference.prompt.length;
  let chars = 0;
  for (const { content } of inference.messages) {
    if (typeof content === "string") chars += content.length;
    else if (content) for (const part of content) chars += part.text.length;
  }
  return chars;
}

/**
 * 400 for a prompt too long for the model's context whatever its tokens, without tokenizing it: no
 * token stands for more than maxCharsPerToken characters, so such a prompt has more tokens than the
 * context holds. This bounds the tokenizer's work per request by the model, not by the body limit.
 */
export function admitPromptSize(kind: Kind, inference: InferenceRequest, info: ModelInfo): void {
  if (info.maxCharsPerToken === undefined) return;
  const most = info.contextLength * info.maxCharsPerToken;
  const chars = promptChars(inference);
  if (chars > most) {
    throw invalidRequest(
      `This model's maximum context length is ${info.contextLength} tokens; your prompt has ${chars} characters, more than ${info.contextLength} tokens can hold (${most}).`,
      kind === "chat" ? "messages" : "prompt",
      "context_length_exceeded",
    );
  }
}

/**
 * The key's RPM and TPM limits (429 with retry-after when exceeded). Returns the tokens taken from
 * the TPM bucket (0 without a TPM limit), given back in part once the request is billed.
 */
export async function admitRate(limiter: RateLimiter, key: AuthenticatedKey, worstTokens: number): Promise<number> {
  const wait = key.rpmLimit === null ? 0 : await limiter.take(`rpm:${key.id}`, key.rpmLimit, 1);
  if (wait > 0) throw rateLimited(`Rate limit reached: ${key.rpmLimit} requests per minute for this key.`, wait, "rpm_limit_exceeded");
  if (key.tpmLimit === null) return 0;
  const tpmWait = await limiter.take(`tpm:${key.id}`, key.tpmLimit, worstTokens);
  if (tpmWait > 0) {
    throw rateLimited(
      `Rate limit reached: ${key.tpmLimit} tokens per minute for this key; this request may use ${worstTokens} (prompt + max_tokens).`,
      tpmWait,
      "tpm_limit_exceeded",
    );
  }
  return worstTokens;
}

/** max_tokens to generate (and hold for): what was asked, or the rest of the context; 400 when it cannot fit. */
export function admitLength(kind: Kind, asked: number | undefined, promptTokens: number, info: ModelInfo): number {
  const param = kind === "chat" ? "messages" : "prompt";
  const room = info.contextLength - promptTokens;
  if (room < 1) {
    throw invalidRequest(
      `This model's maximum context length is ${info.contextLength} tokens; your prompt has ${promptTokens}.`,
      param,
      "context_length_exceeded",
    );
  }
  if (asked === undefined) return Math.min(room, info.maxOutputTokens);
  if (asked > info.maxOutputTokens) {
    throw invalidRequest(`max_tokens is too large: ${asked}. This model supports at most ${info.maxOutputTokens} completion tokens.`, "max_tokens");
  }
  if (asked > room) {
    throw invalidRequest(
      `This model's maximum context length is ${info.contextLength} tokens; you requested ${promptTokens + asked} (${promptTokens} in the prompt, ${asked} for the completion).`,
      "max_tokens",
      "context_length_exceeded",
    );
  }
  return asked;
}
