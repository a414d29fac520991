// The OpenAI-compatible HTTP API: auth, validation, metering (reserve -> model -> settle) and SSE.
//
// Metering order for every generation: refuse without tokenizing what can be refused (a parameter the
// backend cannot honour, an account that cannot pay the smallest request, a prompt longer than the
// context could hold), then count the prompt with the serving model's tokenizer, hold
// the worst case (prompt x input price + max_tokens x output price), call the backend, then settle
// the real usage in one ledger transaction. A failure before any token releases the hold; a failure
// or a client disconnect after tokens were produced settles what was produced (BackendError.partial).
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import type { ServerResponse } from "node:http";
import { worstCaseCost, type Pricing } from "@fomo/sdk";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { BackendError } from "../backends/errors.ts";
import type {
  Backend,
  ChatMessage,
  ProgressListener,
  CompletionResult,
  InferenceRequest,
  ModelInfo,
  Usage,
} from "../backends/types.ts";
import type { AuthenticatedKey, Ledger, UsageRecord } from "@fomo/ledger";
import { PLATFORM_DEPLOYMENT } from "../pricing/discounts.ts";
import type { CatalogModel, ModelCatalog, ServedModel } from "./catalog.ts";
import { receiptRoutes, type ReceiptSigner } from "../receipts/index.ts";
import { KeyCache } from "./key-cache.ts";
import { GatewayMetrics } from "./metrics.ts";
import { FailOpenRateLimiter, InProcessRateLimiter, type RateLimiter } from "./ratelimit.ts";
import { unsupportedParameter } from "./capabilities.ts";
import { ApiError, insufficientQuota, invalidKey, invalidRequest, modelNotFound, modelNotServed, toApiError } from "./errors.ts";
import {
  chatBodySchema,
  completionBodySchema,
  paramOf,
  type ChatBody,
  type CompletionBody,
  type GenerationBody,
} from "./schemas.ts";

export type { ServedModel } from "./catalog.ts";

/** The staker discount of a request (pricing/discounts.ts StakeDiscounts). */
export interface DiscountSource {
  discountBps(wallet: string | null, deployment: string): Promise<number>;
}

export interface GatewayOptions {
  ledger: Ledger;
  /** What is sold and which backend runs it (StaticCatalog, chain/DeploymentCatalog). */
  catalog: ModelCatalog;
  /** Staker discounts on deployments; none when absent (every request at list price). */
  discounts?: DiscountSource;
  /** A pino logger; none by default. */
  logger?: FastifyBaseLogger;
  now?: () => number;
  /**
   * Record a checkpoint of a stream's usage every this many deltas (default 16): what reconcile()
   * charges if the process dies mid-stream. Each delta is at least one token, so it never overcharges.
   */
  checkpointEvery?: number;
  /** Per-key RPM/TPM buckets shared by several gateways (RedisRateLimiter); in this process by default. */
  rateLimiter?: RateLimiter;
  /** Signs every billed request's usage receipt and serves GET /v1/receipts/{id}; no receipts without it. */
  receipts?: ReceiptSigner;
  /** When set, GET /metrics answers only `Authorization: Bearer <metricsToken>` (FOMO_METRICS_TOKEN). */
  metricsToken?: string;
  /**
   * Failed authentications allowed per client address and minute (default 30), so unknown keys
   * cannot be tried (each one a ledger query) as fast as a client can send them.
   */
  failedAuthPerMinute?: number;
}

/** A route of the API as registered: what the 405s and the tests of every route are built from. */
export interface ApiRoute {
  method: string;
  url: string;
  /** Served only to a valid API key (every /v1 route). */
  authenticated: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route of the API, HEAD and the 405 answers aside. */
    apiRoutes: readonly ApiRoute[];
  }
  interface FastifyRequest {
    apiKey?: AuthenticatedKey;
    /** What the request was billed, once settled (for its log line). */
    billed?: UsageRecord;
  }
}

type Kind = InferenceRequest["kind"];

/** What a client may send as x-request-id; anything else is refused (a silent new id would lose its replay protection). */
const REQUEST_ID = /^[\w.:-]{1,128}$/;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export async function buildGateway(options: GatewayOptions): Promise<FastifyInstance> {
  const { ledger, catalog } = options;
  const now = options.now ?? Date.now;
  const metrics = new GatewayMetrics();
  // Fail open: a limiter outage admits requests (the ledger still guards the money), counted and logged.
  const limiter = new FailOpenRateLimiter(options.rateLimiter ?? new InProcessRateLimiter(now), {
    onError: () => metrics.rateLimiterErrors.inc(),
    onStateChange: (failing, err) =>
      failing ? app.log.error({ err }, "rate limiter failing: admitting requests without limits") : app.log.info("rate limiter back"),
  });
  const app: FastifyInstance = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    // OpenAI does not coerce types: "1" is not a number.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    genReqId: (req) => {
      const header = req.headers["x-request-id"];
      return typeof header === "string" && REQUEST_ID.test(header) ? header : `req-${randomUUID()}`;
    },
    bodyLimit: 4 * 1024 * 1024,
    // One line per request (onResponse below) instead of fastify's two: logging is a visible part of a request's CPU.
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // genReqId kept a valid x-request-id as the request's id: any other value sent is refused.
  app.addHook("onRequest", (request, _reply, done) => {
    const header = request.headers["x-request-id"];
    if (header === undefined || request.id === header) return done();
    done(invalidRequest("Invalid 'x-request-id': 1-128 characters of [A-Za-z0-9_.:-], sent once.", "x-request-id", "invalid_request_id"));
  });
  const routes: ApiRoute[] = [];
  let routesSealed = false;
  app.addHook("onRoute", (route) => {
    if (routesSealed) return;
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      routes.push({ method, url: route.url, authenticated: route.url.startsWith("/v1/") || route.url === "/v1" });
    }
  });
  app.decorate("apiRoutes", routes);
  // onResponse also runs for hijacked (streamed) replies, once the stream has ended.
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unknown";
    metrics.requests.inc({ route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    // Never the key nor the prompt: ids, outcome, time and what was billed.
    const billed = request.billed;
    request.log.info(
      {
        method: request.method,
        route,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
        ...(billed
          ? { inputTokens: Number(billed.inputTokens), outputTokens: Number(billed.outputTokens), costMicroUsd: billed.priceCharged.toString() }
          : {}),
      },
      "request completed",
    );
  });

  app.setErrorHandler((error, request, reply) => {
    let api: ApiError;
    const e = error as { validation?: unknown; statusCode?: number; message: string };
    if (Array.isArray(e.validation) && e.validation.length > 0) {
      const first = e.validation[0];
      const param = paramOf(first);
      api = invalidRequest(`Invalid ${param === null ? "request body" : `'${param}'`}: ${first.message ?? "invalid value"}.`, param);
    } else if (!(error instanceof ApiError) && typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) {
      // fastify's own 4xx: malformed JSON, unsupported content type, body too large.
      api = new ApiError(e.statusCode, "invalid_request_error", e.message);
    } else {
      api = toApiError(error);
      if (api.status === 402) metrics.insufficientCredits.inc();
      if (api.status >= 500) request.log.error({ err: error }, "request failed");
    }
    reply.code(api.status).headers(api.headers).send(api.body());
  });

  app.setNotFoundHandler((request, reply) => {
    const api = new ApiError(404, "invalid_request_error", `Unknown endpoint ${request.method} ${request.url.split("?")[0]}.`);
    reply.code(404).send(api.body());
  });

  const keys = new KeyCache(ledger);
  const failedAuth = { limiter: new InProcessRateLimiter(now), perMinute: options.failedAuthPerMinute ?? 30 };

  app.get("/health", async () => ({ status: "ok" }));
  const metricsAuthorized = options.metricsToken ? bearerMatcher(options.metricsToken) : () => true;
  app.get("/metrics", async (request, reply) => {
    if (!metricsAuthorized(request.headers.authorization)) {
      throw new ApiError(401, "invalid_request_error", "/metrics needs `Authorization: Bearer <FOMO_METRICS_TOKEN>`.", { code: "invalid_metrics_token" });
    }
    reply.header("content-type", metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  const resolve = async (id: string): Promise<CatalogModel> => {
    const lookup = await catalog.lookup(id);
    if (lookup.found) return lookup.model;
    throw lookup.reason === undefined ? modelNotFound(id) : modelNotServed(lookup.reason);
  };
  /** The account's staker discount on a deployment; platform models never discount (no wallet read either). */
  const discountFor = async (key: AuthenticatedKey, served: ServedModel): Promise<number> => {
    const deployment = served.deployment ?? PLATFORM_DEPLOYMENT;
    if (!options.discounts || deployment === PLATFORM_DEPLOYMENT) return 0;
    const { wallet } = await ledger.accounts.get(key.accountId);
    return options.discounts.discountBps(wallet, deployment);
  };
  const modelObject = (m: ServedModel) => ({
    id: m.id,
    object: "model",
    created: m.created ?? 0,
    owned_by: m.ownedBy ?? "fomo",
  });

  // Every /v1 route lives in this plugin, whose onRequest hook authenticates: a route, however its
  // path was spelled (percent-encoded, dot segments), is matched first and then authenticated; never
  // a test of the raw URL, which the router decodes differently. Auth runs before body validation,
  // as OpenAI's does: a bad key is a 401 whatever the body.
  await app.register(async (v1) => {
    v1.addHook("onRequest", async (request) => {
      request.apiKey = await authenticate(keys, failedAuth, request);
    });
    v1.get("/v1/models", async () => ({
      object: "list",
      data: (await catalog.list()).map((m) => modelObject(m.served)),
    }));
    v1.get<{ Params: { id: string } }>("/v1/models/:id", async (request) => modelObject((await resolve(request.params.id)).served));
    if (options.receipts) await v1.register(receiptRoutes, { ledger, signer: options.receipts, now });

    const generate = (kind: Kind) => async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as ChatBody & CompletionBody;
      const resolved = await resolve(body.model);
      // The backend is asked for the model it knows: a deployment `<base>-<ticker>` runs its base model.
      const inference = toInference(kind, body, resolved.info.id);
      await serve(request, reply, kind, body, inference, resolved);
    };

    v1.post("/v1/chat/completions", { schema: { body: chatBodySchema } }, generate("chat"));
    v1.post("/v1/completions", { schema: { body: completionBodySchema } }, generate("completion"));
    // No backend here computes embeddings yet: an OpenAI-shaped 400 (404 for a model not served at all).
    v1.post<{ Body: { model: string } }>(
      "/v1/embeddings",
      { schema: { body: { type: "object", required: ["model", "input"], properties: { model: { type: "string", minLength: 1 } } } } },
      async (request) => {
        const { served } = await resolve(request.body.model);
        throw invalidRequest(`The model \`${served.id}\` does not support embeddings.`, "model", "embeddings_not_supported");
      },
    );
  });

  // A known path asked with another method: 405 with the methods it has, not a 404.
  routesSealed = true;
  const methodsByUrl = new Map<string, string[]>();
  for (const { url, method } of routes) methodsByUrl.set(url, [...(methodsByUrl.get(url) ?? []), method]);
  for (const [url, methods] of methodsByUrl) {
    const allowed = methods.includes("GET") ? [...methods, "HEAD"] : methods;
    const others = METHODS.filter((m) => !allowed.includes(m));
    app.route({
      method: others,
      url,
      handler: async (request, reply) => {
        const api = new ApiError(405, "invalid_request_error", `Method ${request.method} is not allowed on ${url}; use ${allowed.join(", ")}.`, {
          code: "method_not_allowed",
        });
        reply.code(405).header("allow", allowed.join(", ")).send(api.body());
      },
    });
  }

  async function serve(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: Kind,
    body: GenerationBody,
    inference: InferenceRequest,
    { served, backend, info }: CatalogModel,
  ): Promise<void> {
    const key = request.apiKey!;
    const started = now();
    // Everything that can refuse the request without tokenizing it comes first: counting a prompt is
    // the one step whose cost grows with what the client sent.
    const unsupported = unsupportedParameter(kind, body as unknown as Record<string, unknown>, backend.capabilities);
    if (unsupported) throw unsupported;
    admitFloor(key, served);
    admitPromptSize(kind, inference, info);
    const [{ tokens: promptTokens }, discountBps] = await Promise.all([backend.countPromptTokens(inference), discountFor(key, served)]);
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
    const meter = new Meter(ledger, requestId, started, now, metrics, served.id, (used) => {
      if (tpmTaken > 0 && used < tpmTaken) void limiter.give(`tpm:${key.id}`, key.tpmLimit!, tpmTaken - used);
    }, options.receipts);
    const ids = { id: `${kind === "chat" ? "chatcmpl" : "cmpl"}-${request.id}`, created: Math.floor(started / 1000), model: served.id };
    try {
      const checkpointEvery = options.checkpointEvery ?? 16;
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
      const checkpoint = { every: checkpointEvery, promptTokens };
      await streamResponse(reply, kind, ids, body.stream_options?.include_usage === true, backend, inference, controller, meter, checkpoint);
    } finally {
      reply.raw.off("close", onClose);
      // Before onResponse: that hook runs once the response has been written.
      request.billed = meter.record;
    }
  }

  return app;
}

/** Failed authentications per client address: one bucket each, taken from before a ledger lookup, given back on success. */
interface FailedAuthLimit {
  limiter: RateLimiter;
  perMinute: number;
}

async function authenticate(keys: KeyCache, failed: FailedAuthLimit, request: FastifyRequest): Promise<AuthenticatedKey> {
  const authorization = request.headers.authorization;
  const litellm = request.headers["x-litellm-api-key"];
  let raw: string | undefined;
  if (typeof authorization === "string" && /^bearer\s+/i.test(authorization)) raw = authorization.replace(/^bearer\s+/i, "").trim();
  else if (typeof litellm === "string") raw = litellm.replace(/^bearer\s+/i, "").trim();
  if (!raw) {
    throw invalidKey("You didn't provide an API key. Send it as `Authorization: Bearer sk-…` or `x-litellm-api-key`.");
  }
  const cached = keys.cached(raw);
  if (cached) return cached;
  const bucket = `auth:${request.ip}`;
  const wait = await failed.limiter.take(bucket, failed.perMinute, 1);
  if (wait > 0) {
    throw rateLimited(`Too many failed authentications from this address: at most ${failed.perMinute} a minute.`, wait, "auth_rate_limit_exceeded");
  }
  try {
    const key = await keys.authenticate(raw);
    await failed.limiter.give(bucket, failed.perMinute, 1);
    return key;
  } catch (error) {
    throw toApiError(error);
  }
}

/** A constant-time check of an `Authorization: Bearer <token>` header (hashes: equal lengths). */
function bearerMatcher(token: string): (authorization: string | undefined) => boolean {
  const digest = (text: string) => createHash("sha256").update(text).digest();
  const expected = digest(`Bearer ${token}`);
  return (authorization) => authorization !== undefined && timingSafeEqual(digest(authorization), expected);
}

/**
 * 402 before any work when the account (or the key's spend cap) cannot pay even the smallest request
 * of this model: no prompt and one output token. The balance is the one read when the key was
 * authenticated (at most KEY_CACHE_TTL_MS old); the hold in Ledger.reserve is what really decides.
 */
function admitFloor(key: AuthenticatedKey, served: ServedModel): void {
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
function admitPromptSize(kind: Kind, inference: InferenceRequest, info: ModelInfo): void {
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

/** The request as the backend sees it. Ranges were checked by the schema. */
function toInference(kind: Kind, body: ChatBody & CompletionBody, model: string): InferenceRequest {
  const maxTokens = (kind === "chat" ? body.max_completion_tokens : undefined) ?? body.max_tokens ?? undefined;
  const stop = body.stop === undefined || body.stop === null ? undefined : typeof body.stop === "string" ? [body.stop] : body.stop;
  const options = {
    model,
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(body.temperature == null ? {} : { temperature: body.temperature }),
    ...(body.top_p == null ? {} : { topP: body.top_p }),
    ...(stop === undefined ? {} : { stop }),
    ...(body.seed == null ? {} : { seed: body.seed }),
    ...(body.frequency_penalty == null ? {} : { frequencyPenalty: body.frequency_penalty }),
    ...(body.presence_penalty == null ? {} : { presencePenalty: body.presence_penalty }),
  };
  if (kind === "chat") return { kind, messages: body.messages as ChatMessage[], ...options };
  return { kind, prompt: typeof body.prompt === "string" ? body.prompt : body.prompt[0], ...options };
}

/**
 * The key's RPM and TPM limits (429 with retry-after when exceeded). Returns the tokens taken from
 * the TPM bucket (0 without a TPM limit), given back in part once the request is billed.
 */
async function admitRate(limiter: RateLimiter, key: AuthenticatedKey, worstTokens: number): Promise<number> {
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

const rateLimited = (message: string, retryAfterSec: number, code: string): ApiError =>
  new ApiError(429, "rate_limit_error", message, { code, headers: { "retry-after": String(retryAfterSec) } });

/** max_tokens to generate (and hold for): what was asked, or the rest of the context; 400 when it cannot fit. */
function admitLength(kind: Kind, asked: number | undefined, promptTokens: number, info: ModelInfo): number {
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

/** Settles or releases one request's hold, exactly once. */
class Meter {
  #done = false;
  readonly #ledger: Ledger;
  readonly #requestId: string;
  readonly #started: number;
  readonly #now: () => number;
  readonly #metrics: GatewayMetrics;
  readonly #model: string;
  readonly #onBilled: (tokens: number) => void;
  readonly #receipts: ReceiptSigner | undefined;
  /** The signed usage receipt (compact form) once the request is billed and signed. */
  receipt: string | undefined;
  /** The usage record once the request is billed. */
  record: UsageRecord | undefined;

  /** Created right after the hold was reserved; `onBilled` gets the tokens billed (0 when released). */
  constructor(
    ledger: Ledger,
    requestId: string,
    started: number,
    now: () => number,
    metrics: GatewayMetrics,
    model: string,
    onBilled: (tokens: number) => void,
    receipts?: ReceiptSigner,
  ) {
    this.#onBilled = onBilled;
    this.#receipts = receipts;
    this.#ledger = ledger;
    this.#requestId = requestId;
    this.#started = started;
    this.#now = now;
    this.#metrics = metrics;
    this.#model = model;
    metrics.holds.inc();
  }

  /** Tokens served so far, for crash recovery; a lower bound of the real usage. */
  async checkpoint(inputTokens: number, outputTokens: number): Promise<void> {
    if (this.#done) return;
    await this.#ledger.metering.checkpoint(this.#requestId, { inputTokens: BigInt(inputTokens), outputTokens: BigInt(outputTokens) });
  }

  /**
   * A backend's progress as checkpoints of a non-streamed generation, every `every` output tokens:
   * a crash then bills the tokens generated up to the last one, never more. The model does not wait
   * for them: one write at a time, and the newest progress reached meanwhile is written next. A
   * checkpoint that lands after the settle changes nothing (the hold is gone).
   */
  checkpointEvery(every: number, log: FastifyBaseLogger): ProgressListener {
    let writing = false;
    let next: Usage | undefined;
    const write = (usage: Usage) => {
      writing = true;
      this.checkpoint(usage.inputTokens, usage.outputTokens)
        .catch((err: unknown) => log.warn({ err }, "checkpoint failed"))
        .finally(() => {
          writing = false;
          const pending = next;
          next = undefined;
          if (pending && !this.#done) write(pending);
        });
    };
    return (usage) => {
      if (usage.outputTokens % every !== 0 || this.#done) return;
      if (writing) next = usage;
      else write(usage);
    };
  }

  async settle(usage: Usage, finishReason: string): Promise<UsageRecord> {
    this.#finish();
    this.#onBilled(usage.inputTokens + usage.outputTokens);
    this.#metrics.tokens.inc({ model: this.#model, direction: "input" }, usage.inputTokens);
    this.#metrics.tokens.inc({ model: this.#model, direction: "output" }, usage.outputTokens);
    const usageRecord = {
      inputTokens: BigInt(usage.inputTokens),
      outputTokens: BigInt(usage.outputTokens),
      source: usage.source,
      latencyMs: Math.max(0, Math.round(this.#now() - this.#started)),
      finishReason,
    };
    // The receipt is signed before the settling transaction and stored by it (Ledger.settle's seal).
    const record = await this.#ledger.metering.settle(this.#requestId, usageRecord, this.#receipts ? { seal: this.#receipts.seal } : {});
    this.record = record;
    this.receipt = this.#receipts?.compact(record);
    return record;
  }

  /** After a failure: bill what was produced (tokens generated are tokens served), else release. */
  async fail(error: unknown): Promise<void> {
    if (this.#done) return;
    if (error instanceof BackendError) this.#metrics.backendErrors.inc({ code: error.code });
    const partial = error instanceof BackendError ? error.partial : undefined;
    if (partial && partial.usage.outputTokens > 0) {
      const reason = error instanceof BackendError && error.code === "aborted" ? "client_disconnect" : "error";
      await this.settle(partial.usage, reason);
    } else {
      this.#finish();
      this.#onBilled(0);
      await this.#ledger.metering.release(this.#requestId);
    }
  }

  #finish(): void {
    if (!this.#done) this.#metrics.holds.dec();
    this.#done = true;
  }
}

/** Response header of a non-streamed request's usage receipt (compact form). */
const RECEIPT_HEADER = "x-fomo-receipt";

interface Ids {
  id: string;
  created: number;
  model: string;
}

const usageBody = (usage: Usage) => ({
  prompt_tokens: usage.inputTokens,
  completion_tokens: usage.outputTokens,
  total_tokens: usage.inputTokens + usage.outputTokens,
  // Part of prompt_tokens (OpenAI's shape), shown to the client, never billed on top of it.
  ...(usage.cachedInputTokens === undefined ? {} : { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } }),
});

function completionBody(kind: Kind, ids: Ids, result: CompletionResult) {
  if (kind === "chat") {
    return {
      ...ids,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: result.text, refusal: null },
          logprobs: null,
          finish_reason: result.finishReason,
        },
      ],
      usage: usageBody(result.usage),
    };
  }
  return {
    ...ids,
    object: "text_completion",
    choices: [{ index: 0, text: result.text, logprobs: null, finish_reason: result.finishReason }],
    usage: usageBody(result.usage),
  };
}

/** One SSE chunk of a streamed completion; `usage: null` on every chunk when the client asked for usage. */
function chunk(kind: Kind, ids: Ids, withUsage: boolean, text: string | null, finishReason: string | null, first = false) {
  const usage = withUsage ? { usage: null } : {};
  if (kind === "chat") {
    const delta = text === null ? {} : first ? { role: "assistant", content: text } : { content: text };
    return { ...ids, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...usage };
  }
  return { ...ids, object: "text_completion", choices: [{ index: 0, text: text ?? "", logprobs: null, finish_reason: finishReason }], ...usage };
}

const sse = (raw: ServerResponse, data: unknown) => raw.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

async function streamResponse(
  reply: FastifyReply,
  kind: Kind,
  ids: Ids,
  includeUsage: boolean,
  backend: Backend,
  inference: InferenceRequest,
  controller: AbortController,
  meter: Meter,
  checkpoint: { every: number; promptTokens: number },
): Promise<void> {
  const iterator = backend.stream(inference, controller.signal)[Symbol.asyncIterator]();
  let first: IteratorResult<import("../backends/types.ts").StreamEvent>;
  try {
    // Wait for the backend to start before committing to a 200: an early failure is a plain HTTP error.
    first = await iterator.next();
  } catch (error) {
    await meter.fail(error);
    if (meter.receipt) reply.header(RECEIPT_HEADER, meter.receipt);
    throw error;
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": reply.request.id,
  });
  if (kind === "chat") sse(raw, chunk(kind, ids, includeUsage, "", null, true));
  let deltas = 0;
  try {
    for (let next = first; !next.done; next = await iterator.next()) {
      const event = next.value;
      if (event.type === "delta") {
        // The first delta is recorded before the client can see it: once anything was delivered, a
        // crash bills it (and the prompt). Then every `every` deltas, each at least one token.
        if (++deltas === 1) await meter.checkpoint(checkpoint.promptTokens, deltas);
        if (event.text !== "") sse(raw, chunk(kind, ids, includeUsage, event.text, null));
        if (deltas % checkpoint.every === 0) await meter.checkpoint(checkpoint.promptTokens, deltas);
        continue;
      }
      await meter.settle(event.result.usage, event.result.finishReason);
      // The receipt rides on the last chunk: the usage chunk when asked for, else the finish chunk.
      const receipt = meter.receipt ? { fomo_receipt: meter.receipt } : {};
      sse(raw, { ...chunk(kind, ids, includeUsage, null, event.result.finishReason), ...(includeUsage ? {} : receipt) });
      if (includeUsage) {
        sse(raw, { ...ids, object: kind === "chat" ? "chat.completion.chunk" : "text_completion", choices: [], usage: usageBody(event.result.usage), ...receipt });
      }
    }
    sse(raw, "[DONE]");
  } catch (error) {
    try {
      await meter.fail(error);
    } catch (meterError) {
      reply.log.error({ err: meterError }, "metering a failed stream failed");
    }
    // Headers are gone: the error travels as an SSE event (nobody reads it after a disconnect).
    if (!controller.signal.aborted) {
      const api = toApiError(error);
      if (api.status >= 500) reply.log.error({ err: error }, "stream failed");
      // What was produced is billed: its receipt comes in the error object (the openai client keeps it as `error.error`).
      const body = api.body();
      sse(raw, meter.receipt ? { error: { ...body.error, fomo_receipt: meter.receipt } } : body);
    }
  } finally {
    raw.end();
  }
}
