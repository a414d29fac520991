// A gateway on a loopback port over the real local model and a ledger (a fresh SQLite file, or the
// database a test gives it), plus test-only backends (a gate that pauses a real stream until the client
// has gone, a backend that fails on cue) and the price of a request computed from the template's prices
// independently of src/pricing.
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultCatalog, usageReceiptDomain, type EpochClock, type Pricing, type UsageReceiptDomain } from "@fomo/sdk";
import { Ledger, openDatabase, type Database } from "@fomo/ledger";
import type { FastifyInstance } from "fastify";
import OpenAI from "openai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { buildGateway, StaticCatalog, type RateLimiter, type ServedModel } from "../../src/index.ts";
import { BackendError } from "../../src/backends/errors.ts";
import { LocalBackend } from "../../src/backends/local.ts";
import type { Backend, InferenceRequest, StreamEvent } from "../../src/backends/types.ts";
import { ReceiptSigner } from "../../src/receipts/index.ts";

export const MODEL = "stories-260k";
export const GATED = "stories-260k-gated";
export const BROKEN = "broken";
export const PRICING: Pricing = defaultCatalog[0]!.pricing;

/** ceil(a / b) for positive bigints, written out here so the tests do not reuse src/pricing. */
const ceil = (a: bigint, b: bigint) => (a + b - 1n) / b;

/**
 * Template price of a request: each token class at its price per 1M tokens less the staker discount
 * (basis points), never below that class's min price, summed and rounded up once.
 */
export function expectedPrice(p: Pricing, input: number, output: number, discountBps = 0): bigint {
  const keep = BigInt(10_000 - discountBps);
  const classPrice = (tokens: number, price: bigint, min: bigint) => {
    const discounted = BigInt(tokens) * price * keep;
    const floor = BigInt(tokens) * min * 10_000n;
    return discounted > floor ? discounted : floor;
  };
  return ceil(classPrice(input, p.inputPrice, p.inputMinPrice) + classPrice(output, p.outputPrice, p.outputMinPrice), 1_000_000n * 10_000n);
}

/**
 * The local model under another id; its stream stops after `pauseAfter` deltas until the request's
 * signal aborts, so a test can disconnect mid-generation without racing the (fast) tiny model.
 */
export class GatedBackend implements Backend {
  readonly name = "gated";
  readonly models;
  readonly #inner: LocalBackend;
  readonly #pauseAfter: number;

  constructor(inner: LocalBackend, pauseAfter: number, id = GATED) {
    this.#inner = inner;
    this.#pauseAfter = pauseAfter;
    this.models = inner.models.map((m) => ({ ...m, id }));
  }
  #req = (req: InferenceRequest): InferenceRequest => ({ ...req, model: MODEL });
  countPromptTokens(req: InferenceRequest) {
    return this.#inner.countPromptTokens(this.#req(req));
  }
  complete(req: InferenceRequest, signal?: AbortSignal) {
    return this.#inner.complete(this.#req(req), signal);
  }
  async *stream(req: InferenceRequest, signal?: AbortSignal): AsyncIterable<StreamEvent> {
    let deltas = 0;
    for await (const event of this.#inner.stream(this.#req(req), signal)) {
      yield event;
      if (event.type === "delta" && ++deltas === this.#pauseAfter && signal && !signal.aborted) {
        await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
      }
    }
  }
  async close() {}
}

/** Fails on cue: before any output (complete), or after two deltas of output (stream), billing 7 tokens. */
export class BrokenBackend implements Backend {
  readonly name = "broken";
  readonly models = [{ id: BROKEN, contextLength: 512, maxOutputTokens: 256 }];
  async countPromptTokens() {
    return { tokens: 5, exact: true };
  }
  async complete(): Promise<never> {
    throw new BackendError("internal", "engine crashed", { beforeFirstByte: true });
  }
  async *stream(): AsyncIterable<StreamEvent> {
    yield { type: "delta", text: "Once" };
    yield { type: "delta", text: " upon" };
    throw new BackendError("connection", "upstream went away", {
      beforeFirstByte: false,
      partial: { text: "Once upon", usage: { inputTokens: 5, outputTokens: 7, source: "estimate" } },
    });
  }
  async close() {}
}

export interface TestGateway {
  app: FastifyInstance;
  ledger: Ledger;
  /** Signs the usage receipts, with a key generated for this gateway. */
  signer: ReceiptSigner;
  db: Database;
  local: LocalBackend;
  baseURL: string;
  client(apiKey: string, options?: { maxRetries?: number }): OpenAI;
  close(): Promise<void>;
}

export interface TestGatewayOptions {
  /** A migrated database the caller owns and closes (@fomo/testkit/databases); a fresh SQLite file by default. */
  db?: Database;
  instanceId?: string;
  rateLimiter?: RateLimiter;
  /** More models to serve, e.g. openai-compatible backends in front of a mock upstream. */
  routes?: ReadonlyMap<string, Backend>;
  /** Prices of some models; the others sell at PRICING. */
  prices?: ReadonlyMap<string, Pricing>;
  /** The ledger's clock (the time usage records, and so receipts, get); the real clock by default. */
  ledgerNow?: () => number;
  /** The gateway's clock (an epoch's finality is judged by it); the real clock by default. */
  now?: () => number;
  /** The epochs receipts count in (a chain's EpochClock, or how it is read); UTC days by default. */
  epochClock?: EpochClock | (() => Promise<EpochClock>);
  /** Deployment ($MT address) every served model's revenue goes to; the platform by default. */
  deployment?: string;
  /** EIP-712 domain of the receipts; unbound by default. */
  domain?: UsageReceiptDomain;
  /** Failed authentications allowed per client address and minute (the gateway's default otherwise). */
  failedAuthPerMinute?: number;
  /** Bearer token /metrics requires; open by default. */
  metricsToken?: string;
}

export async function startGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dir = mkdtempSync(join(tmpdir(), "fomo-api-"));
  const db = options.db ?? (await openDatabase({ dataDir: dir }));
  const ledger = new Ledger(db, {
    ...(options.instanceId ? { instanceId: options.instanceId } : {}),
    ...(options.ledgerNow ? { now: options.ledgerNow } : {}),
  });
  const signer = new ReceiptSigner(privateKeyToAccount(generatePrivateKey()), options.domain ?? usageReceiptDomain());
  const local = await LocalBackend.create({ parallel: 4 });
  const routes = new Map<string, Backend>([
    [MODEL, local],
    [GATED, new GatedBackend(local, 3)],
    [BROKEN, new BrokenBackend()],
    ...(options.routes ?? []),
  ]);
  const deployment = options.deployment === undefined ? {} : { deployment: options.deployment };
  const { epochClock } = options;
  const models: ServedModel[] = [...routes.keys()].map((id) => ({ id, pricing: options.prices?.get(id) ?? PRICING, ...deployment }));
  const app = await buildGateway({
    ledger,
    catalog: new StaticCatalog(models, routes),
    checkpointEvery: 2,
    receipts: signer,
    ...(options.rateLimiter ? { rateLimiter: options.rateLimiter } : {}),
    ...(options.failedAuthPerMinute === undefined ? {} : { failedAuthPerMinute: options.failedAuthPerMinute }),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
    ...(options.now ? { now: options.now } : {}),
    ...(epochClock ? { epochClock: typeof epochClock === "function" ? epochClock : () => Promise.resolve(epochClock) } : {}),
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  const baseURL = `http://127.0.0.1:${port}/v1`;
  return {
    app,
    ledger,
    signer,
    db,
    local,
    baseURL,
    client: (apiKey, options = {}) => new OpenAI({ apiKey, baseURL, maxRetries: options.maxRetries ?? 0 }),
    async close() {
      const closing = app.close();
      // A client that aborts a request may leave a connection on which no request ever arrives;
      // the server would otherwise wait for its keep-alive timeout (72 s) before closing.
      app.server.closeAllConnections();
      await closing;
      await local.close();
      if (!options.db) await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
