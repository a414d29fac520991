// One metered generation, shared by /v1/chat/completions and /v1/completions.
//
// Metering order: refuse without tokenizing what can be refused (a parameter the backend cannot
// honour, an account that cannot pay the smallest request, a prompt longer than the context could
// hold), then count the prompt with the serving model's tokenizer, hold the worst case (prompt x
// input price + max_tokens x output price), call the backend, then settle the real usage in one
// ledger transaction. A failure before any token releases the hold; a failure or a client disconnect
// after tokens were produced settles what was produced (BackendError.partial).
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ChatMessage, CompletionResult, InferenceRequest } from "../backends/types.ts";
import type { CatalogModel, ServedModel } from "../catalog/index.ts";
import type { AuthenticatedKey, Ledger } from "@fomo/ledger";
import type { GatewayConfig } from "../plugins/config.ts";
import type { GatewayMetrics } from "../plugins/metrics.ts";
import { PLATFORM_DEPLOYMENT } from "../pricing/discounts.ts";
import { worstCaseCost } from "@fomo/sdk";
import type { RateLimiter } from "../ratelimit/index.ts";
import type { ReceiptSigner } from "../receipts/index.ts";
import type { ChatBody, CompletionBody, GenerationBody } from "../schemas/requests.ts";
import { admitFloor, admitLength, admitPromptSize, admitRate, type Kind } from "./admission.ts";
import { unsupportedParameter } from "./capabilities.ts";
import { Meter } from "./meter.ts";
import { completionBody, RECEIPT_HEADER, streamResponse } from "./openai.ts";

/** The services a generation uses: the decorated fastify instance has them all. */
export interface GenerationServices {
  config: Pick<GatewayConfig, "now" | "checkpointEvery">;
  ledger: Ledger;
  metrics: GatewayMetrics;
  rateLimiter: RateLimiter;
  receiptSigner: ReceiptSigner | undefined;
  discountFor(key: AuthenticatedKey, served: ServedModel): Promise<number>;
}

/** What the backend is asked: the model it knows (a deployment `<base>-<ticker>` runs its base model). */
export function chatInference(body: ChatBody, model: string): InferenceRequest {
  return { kind: "chat", messages: body.messages as ChatMessage[], ...sampling(body, body.max_completion_tokens ?? body.max_tokens ?? undefined, model) };
}

export function completionInference(body: CompletionBody, model: string): InferenceRequest {
  return { kind: "completion", prompt: typeof body.prompt === "string" ? body.prompt : body.prompt[0]!, ...sampling(body, body.max_tokens ?? undefined, model) };
}

/** The options both kinds share. Ranges were checked by the schema. */
function sampling(body: GenerationBody, maxTokens: number | undefined, model: string) {
  const stop = body.stop === undefined || body.stop === null ? undefined : typeof body.stop === "string" ? [body.stop] : body.stop;
  return {
    model,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(body.top_p == null ? {} : { topP: body.top_p }),
    ...(stop === undefined ? {} : { stop: stop as string[] }),
    ...(body.seed == null ? {} : { seed: body.seed }),
    ...(body.frequency_penalty == null ? {} : { frequencyPenalty: body.frequency_penalty }),
    ...(body.presence_penalty == null ? {} : { presencePenalty: body.presence_penalty }),
  };
}

/** Admits, holds, runs and bills one generation, answering it whole or as an SSE stream. */
export async function serveGeneration(
  services: GenerationServices,
  request: FastifyRequest,
  reply: FastifyReply,
  body: GenerationBody,
  inference: InferenceRequest,
  { served, backend, info }: CatalogModel,
): Promise<void> {
  const { ledger, metrics, rateLimiter: limiter, config } = services;
  const kind: Kind = inference.kind;
  const key = request.apiKey!;
  const started = config.now();
  // Everything that can refuse the request without tokenizing it comes first: counting a prompt is
  // the one step whose cost grows with what the client sent.
  const unsupported = unsupportedParameter(kind, body, backend.capabilities);
  if (unsupported) throw unsupported;
  admitFloor(key, served);
  admitPromptSize(kind, inference, info);
  const [{ tokens: promptTokens }, discountBps] = await Promise.all([backend.countPromptTokens(inference), services.discountFor(key, served)]);
  const maxTokens = admitLength(kind, inference.maxTokens, promptTokens, info);
  inference.maxTokens = maxTokens;
  const tpmTaken = await admitRate(limiter, key, promptTokens + maxTokens);
  // Scoped by key: one caller's request ids can never collide with (or replay) another's.
  const requestId = `${key.id}:${request.id}`;
  await ledger.metering.reserve({
    requestId,
    keyId: key.id,
    amount: worstCaseCost(served.pricing, BigInt(promptTokens), BigInt(maxTokens)),
    modelId: served.id,
    deployment: served.deployment ?? PLATFORM_DEPLOYMENT,
    pricing: served.pricing,
    // The hold is the undiscounted worst case (it covers any discount); settle charges with this one.
    discountBps,
  });

  // Abort the generation when the client goes away before we have answered.
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableFinished) controller.abort();
  };
  reply.raw.on("close", onClose);
  const meter = new Meter({
    ledger,
    requestId,
    started,
    now: config.now,
    metrics,
    model: served.id,
    onBilled: (used) => {
      if (tpmTaken > 0 && used < tpmTaken) void limiter.give(`tpm:${key.id}`, key.tpmLimit!, tpmTaken - used);
    },
    receipts: services.receiptSigner,
  });
  const ids = { id: `${kind === "chat" ? "chatcmpl" : "cmpl"}-${request.id}`, created: Math.floor(started / 1000), model: served.id };
  try {
    const checkpointEvery = config.checkpointEvery;
    if (!body.stream) {
      let result: CompletionResult;
      try {
        result = await backend.complete(inference, controller.signal, meter.checkpointEvery(checkpointEvery, request.log));
      } catch (error) {
        await meter.fail(error);
        if (meter.receipt) reply.header(RECEIPT_HEADER, meter.receipt);
        throw error;
      }
      const record = await meter.settle(result.usage, result.finishReason);
      reply.header("x-fomo-cost-micro-usd", record.priceCharged.toString());
      if (meter.receipt) reply.header(RECEIPT_HEADER, meter.receipt);
      reply.send(completionBody(kind, ids, result));
      return;
    }
    await streamResponse(reply, {
      kind,
      ids,
      includeUsage: body.stream_options?.include_usage === true,
      backend,
      inference,
      controller,
      meter,
      checkpoint: { every: checkpointEvery, promptTokens },
    });
  } finally {
    reply.raw.off("close", onClose);
    // Before onResponse: that hook runs once the response has been written.
    request.billed = meter.record;
  }
}
