// Deployments served from chain and the staker discount, against a real Hardhat node over JSON-RPC
// with FOMO deployed (startLocalChain, as `./fomo up`), offerings driven with the SDK, the real
// local model and the official openai client:
// - a graduated offering is served as `<base>-<ticker>` at its terms' prices, revenue to its $MT;
//   a raising, a failed and an unknown one answer 404, each saying why;
// - a graduation shows up on the next lookup after the miss-refresh throttle, with no RPC per request;
// - a bound wallet staking the $MT gets exactly its tier's discount, until the stake cache expires
//   after an unstake; a platform model never discounts; the template's min price is a floor.
// Clocks of the caches are injected: nothing here waits on wall time.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createTestClient, http, type Address } from "viem";
import { hardhat } from "viem/chains";
import {
  approveFlock,
  buy,
  claim,
  defaultAllocation,
  defaultCatalog,
  defaultSaleTerms,
  epochOf,
  FLOCK,
  getEpochClock,
  LAUNCH_FEE,
  launch,
  MT,
  refund,
  stake,
  unstake,
  usageEpochOf,
  usdPerMillion,
  type Clients,
  type Pricing,
  type TemplateSpec,
  type Wallet,
} from "@fomo/sdk";
import { writeDeployments } from "@fomo/sdk/node";
import { startLocalChain, type LocalChain } from "@fomo/deploy";
import OpenAI from "openai";
import pino from "pino";
import { buildGateway, StaticCatalog } from "../src/index.ts";
import { LocalBackend, routeModels } from "../src/backends/index.ts";
import { ChainReader, DeploymentCatalog } from "../src/chain/index.ts";
import { type Database, Ledger, openDatabase } from "@fomo/ledger";
import { StakeDiscounts } from "../src/pricing/index.ts";
import { platformModels, startGatewayServer } from "../src/server.ts";
import { fundedKey, USD, type Funded } from "@fomo/testkit/ledger";
import { expectedPrice } from "./support/gateway.ts";

const BASE = "stories-260k";
const PRICING = defaultCatalog[0]!.pricing;
/** A template whose min price is 95% of its price: a 20% discount must stop at the floor. */
const TIGHT: Pricing = {
  inputPrice: usdPerMillion("0.20"),
  outputPrice: usdPerMillion("0.80"),
  inputMinPrice: usdPerMillion("0.19"),
  outputMinPrice: usdPerMillion("0.76"),
  inputCost: usdPerMillion("0.02"),
  outputCost: usdPerMillion("0.05"),
};
const TIGHT_TEMPLATE: TemplateSpec = { ...defaultCatalog[0]!, sale: defaultSaleTerms, allocation: defaultAllocation, pricing: TIGHT };
const TIGHT_ID = defaultCatalog.length; // added after the default catalog
const STAKE_TTL_MS = 60_000;
const HOUR = 3_600;

let chain: LocalChain;
let issuer: Clients;
let supporter: Clients;
let mts: Record<"good" | "tight" | "late" | "wait" | "fail", Address>;
let closesAt: Record<"wait" | "fail", number>;
let dir: string;
let db: Database;
let ledger: Ledger;
let local: LocalBackend;
let catalog: DeploymentCatalog;
let baseURL: string;
let app: Awaited<ReturnType<typeof buildGateway>>;
/** The caches' clock (ms), moved by hand. */
let clock = 1_000_000;

const clientsOf = (wallet: Wallet): Clients => ({ public: chain.publicClient, wallet });

async function travel(seconds: number): Promise<void> {
  const test = createTestClient({ mode: "hardhat", chain: hardhat, transport: http(chain.url) });
  await test.increaseTime({ seconds });
  await test.mine({ blocks: 1 });
}

async function launchOffering(ticker: string, templateId = 0) {
  await approveFlock(issuer, chain.deployments, { amount: LAUNCH_FEE });
  return launch(issuer, chain.deployments, { templateId, name: `Test ${ticker}`, ticker });
}

/** Buys the whole raise (raiseMax is 1M FLOCK net; the excess is returned), which graduates it, and claims. */
async function buyToGraduation(mt: Address): Promise<void> {
  const flockIn = 1_100_000n * FLOCK;
  await approveFlock(supporter, chain.deployments, { amount: flockIn });
  const bought = await buy(supporter, chain.deployments, { mt, flockIn });
  assert.ok(bought.graduated, "the buy graduates the offering");
  await claim(supporter, chain.deployments, { mt });
}

before(async () => {
  chain = await startLocalChain({ port: 0, accounts: 3, deploy: { catalog: [...defaultCatalog, TIGHT_TEMPLATE] } });
  issuer = clientsOf(chain.wallets[1]!);
  supporter = clientsOf(chain.wallets[2]!);
  const d = chain.deployments;

  // Fails: a small buy, then the 7-day window runs out below raiseMin; the supporter refunds.
  const fail = await launchOffering("FAIL");
  await approveFlock(supporter, d, { amount: 1_000n * FLOCK });
  await buy(supporter, d, { mt: fail.mt, flockIn: 1_000n * FLOCK, maxFeeBps: 10_000 }); // in the anti-snipe window
  await travel(defaultSaleTerms.duration + 60);
  await refund(supporter, d, { mt: fail.mt });

  const good = await launchOffering("GOOD");
  const tight = await launchOffering("TIGHT", TIGHT_ID);
  const late = await launchOffering("LATE");
  await travel(2 * HOUR); // past the anti-snipe window
  await buyToGraduation(good.mt);
  await buyToGraduation(tight.mt);
  const wait = await launchOffering("WAIT");
  mts = { good: good.mt, tight: tight.mt, late: late.mt, wait: wait.mt, fail: fail.mt };
  closesAt = { wait: wait.launched.closesAt, fail: fail.launched.closesAt };

  dir = mkdtempSync(join(tmpdir(), "fomo-chain-"));
  db = await openDatabase({ dataDir: dir });
  ledger = new Ledger(db);
  local = await LocalBackend.create({ parallel: 2 });
  const routes = routeModels([local]);
  const reader = new ChainReader(chain.publicClient, d);
  catalog = new DeploymentCatalog(new StaticCatalog(platformModels([local]), routes), reader, routes, { now: () => clock });
  await catalog.start();
  const discounts = new StakeDiscounts(reader, { ttlMs: STAKE_TTL_MS, now: () => clock });
  app = await buildGateway({ ledger, catalog, discounts });
  baseURL = `${await app.listen({ port: 0, host: "127.0.0.1" })}/v1`;
});

after(async () => {
  catalog?.close();
  await app?.close();
  await local?.close();
  await db?.destroy();
  await chain?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const client = (f: Funded) => new OpenAI({ apiKey: f.secret, baseURL, maxRetries: 0 });
const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().replace(".000Z", "Z");

async function modelIds(f: Funded): Promise<string[]> {
  const ids: string[] = [];
  for await (const m of client(f).models.list()) ids.push(m.id);
  return ids;
}

/** The message of the 404 that `request` gets. */
async function notFound(request: Promise<unknown>): Promise<string> {
  const error = await request.catch((e: unknown) => e);
  assert.ok(error instanceof OpenAI.NotFoundError, `expected a 404, got ${String(error)}`);
  assert.equal(error.param, "model");
  return (error.error as { message: string }).message;
}

/** The message of the 404 a chat request on `model` gets. */
const notServed = (f: Funded, model: string): Promise<string> =>
  notFound(client(f).chat.completions.create({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 4 }));

/** One chat request; returns its usage record and what the account paid. */
async function charged(f: Funded, model: string, requestId: string) {
  const before = (await ledger.accounts.get(f.accountId)).balance;
  const { data, response } = await client(f)
    .chat.completions.create(
      { model, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 24, temperature: 0 },
      { headers: { "x-request-id": requestId } },
    )
    .withResponse();
  assert.equal(data.model, model);
  const record = (await ledger.usage.get(`${f.key.id}:${requestId}`))!;
  assert.equal(Number(record.inputTokens), data.usage!.prompt_tokens);
  assert.equal(Number(record.outputTokens), data.usage!.completion_tokens);
  assert.equal(response.headers.get("x-fomo-cost-micro-usd"), record.priceCharged.toString());
  const paid = before - (await ledger.accounts.get(f.accountId)).balance;
  return { record, paid, input: data.usage!.prompt_tokens, output: data.usage!.completion_tokens };
}

describe("deployments served from chain", () => {
  it("lists the base model and the graduated deployments as <base>-<lower-case ticker>", async () => {
    const f = await fundedKey(ledger, USD);
    assert.deepEqual(await modelIds(f), [BASE, `${BASE}-good`, `${BASE}-tight`]);
    const good = await client(f).models.retrieve(`${BASE}-good`);
    assert.equal(good.owned_by, chain.wallets[1]!.account.address, "owned by its creator");
  });

  it("serves a graduated deployment on its base model at its terms' prices, revenue to its $MT", async () => {
    const f = await fundedKey(ledger, USD);
    const { record, paid, input, output } = await charged(f, `${BASE}-good`, "good-1");
    assert.equal(record.deployment, mts.good);
    assert.equal(record.modelId, `${BASE}-good`);
    assert.equal(record.discountBps, 0, "no wallet bound: no discount");
    assert.equal(record.priceCharged, expectedPrice(PRICING, input, output));
    assert.equal(paid, record.priceCharged);
  });

  it("answers 404 saying why for a raising, a failed and an unknown model", async () => {
    const f = await fundedKey(ledger, USD);
    assert.equal(
      await notServed(f, `${BASE}-wait`),
      `The model \`${BASE}-wait\` is still raising until ${iso(closesAt.wait)}; it is served once it graduates.`,
    );
    assert.equal(
      await notServed(f, `${BASE}-fail`),
      `The model \`${BASE}-fail\` is not served: its offering failed (it raised less than its minimum by ${iso(closesAt.fail)}); supporters can refund their FLOCK.`,
    );
    assert.match(await notServed(f, `${BASE}-nope`), /does not exist/);
    assert.match(await notFound(client(f).models.retrieve(`${BASE}-wait`)), /still raising/);
    assert.equal((await ledger.accounts.get(f.accountId)).balance, USD, "nothing charged");
  });

  it("serves a graduation on the first lookup after the miss-refresh throttle", async () => {
    const f = await fundedKey(ledger, USD);
    clock += 1_000;
    await notServed(f, `${BASE}-late`); // refreshes: still raising
    await buyToGraduation(mts.late);
    // Within the throttle the cached status answers, without reading the chain again.
    assert.match(await notServed(f, `${BASE}-late`), /still raising/);
    assert.ok(!(await modelIds(f)).includes(`${BASE}-late`));
    clock += 1_000;
    const { record } = await charged(f, `${BASE}-late`, "late-1");
    assert.equal(record.deployment, mts.late);
    assert.ok((await modelIds(f)).includes(`${BASE}-late`));
  });
});

describe("staker discount", () => {
  let staker: Funded;
  before(async () => {
    staker = await fundedKey(ledger, USD);
    await ledger.wallets.bind({ accountId: staker.accountId, wallet: supporter.wallet.account.address, proof: "test" });
  });

  it("gives a bound wallet staking 10,000 $MT exactly 10% off, and nothing on a platform model", async () => {
    await stake(supporter, chain.deployments, { mt: mts.good, amount: 10_000n * MT });
    const { record, paid, input, output } = await charged(staker, `${BASE}-good`, "stake-1");
    assert.equal(record.discountBps, 1_000);
    assert.equal(record.priceCharged, expectedPrice(PRICING, input, output, 1_000));
    assert.ok(record.priceCharged < expectedPrice(PRICING, input, output), "the discount lowers the price");
    assert.equal(record.listPrice, expectedPrice(PRICING, input, output));
    assert.equal(paid, record.priceCharged);

    const platform = await charged(staker, BASE, "stake-platform");
    assert.equal(platform.record.discountBps, 0);
    assert.equal(platform.record.deployment, "platform");
    assert.equal(platform.record.priceCharged, expectedPrice(PRICING, platform.input, platform.output));
  });

  it("keeps the cached stake until its TTL after an unstake, then charges the list price", async () => {
    await unstake(supporter, chain.deployments, { mt: mts.good, amount: 10_000n * MT });
    const cached = await charged(staker, `${BASE}-good`, "unstake-1");
    assert.equal(cached.record.discountBps, 1_000, "within the TTL the cached stake counts");
    clock += STAKE_TTL_MS;
    const fresh = await charged(staker, `${BASE}-good`, "unstake-2");
    assert.equal(fresh.record.discountBps, 0);
    assert.equal(fresh.record.priceCharged, expectedPrice(PRICING, fresh.input, fresh.output));
  });

  it("never charges below the template's min price", async () => {
    await stake(supporter, chain.deployments, { mt: mts.tight, amount: 50_000n * MT });
    const { record, input, output } = await charged(staker, `${BASE}-tight`, "tight-1");
    assert.equal(record.discountBps, 2_000);
    const floor = (BigInt(input) * TIGHT.inputMinPrice + BigInt(output) * TIGHT.outputMinPrice + 999_999n) / 1_000_000n;
    const twentyOff = (BigInt(input) * TIGHT.inputPrice + BigInt(output) * TIGHT.outputPrice) * 8_000n;
    assert.ok(twentyOff < floor * 1_000_000n * 10_000n, "20% off would fall below the floor");
    assert.equal(record.priceCharged, floor);
  });
});

describe("gateway server with chain config", () => {
  it("serves the deployments of the chain named by a deployments file", async () => {
    const file = join(dir, "deployments.json");
    writeDeployments(file, chain.deployments);
    const server = await startGatewayServer({
      port: 0,
      dataDir: join(dir, "server"),
      chain: { rpcUrl: chain.url, deployments: file },
      logger: pino({ level: "silent" }),
    });
    try {
      const serverDb = await openDatabase({ dataDir: join(dir, "server") });
      const f = await fundedKey(new Ledger(serverDb), USD);
      await serverDb.destroy();
      const openai = new OpenAI({ apiKey: f.secret, baseURL: `${server.url}/v1`, maxRetries: 0 });
      const ids: string[] = [];
      for await (const m of openai.models.list()) ids.push(m.id);
      assert.deepEqual(ids, [BASE, `${BASE}-good`, `${BASE}-tight`, `${BASE}-late`]);

      // Its receipts count in the chain's epochs (the EmissionSchedule's clock), not in UTC days. The
      // schedule started at the chain's time, which a burst of blocks (the deployment) puts some seconds
      // ahead of the wall clock the ledger stamps usage with; usage before the start is in no epoch.
      const clock = await getEpochClock(chain.publicClient, chain.deployments);
      const early = Number(clock.start) * 1_000 - Date.now();
      if (early >= 0) await new Promise((resolve) => setTimeout(resolve, early + 1_000));
      await openai.completions.create({ model: BASE, prompt: "Once", max_tokens: 2 }, { headers: { "x-request-id": "epoch" } });
      const receipt = (await (await fetch(`${server.url}/v1/receipts/epoch`, { headers: { authorization: `Bearer ${f.secret}` } })).json()) as {
        receipt: { timestamp: string }; epoch: number;
      };
      const timestamp = BigInt(receipt.receipt.timestamp);
      const epoch = epochOf(clock, timestamp);
      assert.equal(receipt.epoch, Number(epoch));
      assert.notEqual(epoch, usageEpochOf(timestamp), "the chain's epoch is not the UTC day");
    } finally {
      await server.close();
    }
  });

  it("lists a graduation in /v1/models at once, not at the next refresh, with its prices and offering", { timeout: 120_000 }, async () => {
    const next = await launchOffering("NEXT", TIGHT_ID);
    const server = await startGatewayServer({
      port: 0,
      dataDir: join(dir, "graduation"),
      // An hour between periodic refreshes: only the graduation itself can make the model appear.
      chain: { rpcUrl: chain.url, deployments: chain.deployments, refreshMs: 3_600_000, graduationPollMs: 200 },
      logger: pino({ level: "silent" }),
    });
    try {
      const serverDb = await openDatabase({ dataDir: join(dir, "graduation") });
      const f = await fundedKey(new Ledger(serverDb), USD);
      await serverDb.destroy();
      type Listed = { id: string; context_length: number; pricing: unknown; pricing_per_1m_tokens: unknown; top_provider: unknown; offering: unknown };
      const listed = async () =>
        ((await (await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${f.secret}` } })).json()) as { data: Listed[] }).data;
      assert.ok(!(await listed()).some((m) => m.id === `${BASE}-next`), "still raising");
      await travel(2 * HOUR); // past the anti-snipe window
      await buyToGraduation(next.mt);
      const deadline = Date.now() + 10_000;
      let model: Listed | undefined;
      while (!(model = (await listed()).find((m) => m.id === `${BASE}-next`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.ok(model, "the graduation is listed within seconds, an hour before the next refresh");
      const contextLength = local.models[0]!.contextLength;
      assert.deepEqual(
        { ...model, id: undefined },
        {
          ...model,
          id: undefined,
          context_length: contextLength,
          // TIGHT's terms: 0.20 and 0.80 USD per 1M tokens, floors 0.19 and 0.76.
          pricing: { prompt: "0.0000002", completion: "0.0000008", request: "0" },
          pricing_per_1m_tokens: { currency: "USD", prompt: "0.200000", completion: "0.800000", prompt_min: "0.190000", completion_min: "0.760000" },
          top_provider: { context_length: contextLength, max_completion_tokens: local.models[0]!.maxOutputTokens },
          offering: { mt: next.mt, ticker: "NEXT", name: "Test NEXT", issuer: issuer.wallet.account.address, base_model: BASE },
        },
      );
      const platform = (await listed()).find((m) => m.id === BASE)!;
      assert.equal(platform.offering, null, "a base model belongs to no offering");
    } finally {
      await server.close();
    }
  });

  it("refuses an RPC serving another chain than the deployments file", async () => {
    await assert.rejects(
      startGatewayServer({
        port: 0,
        dataDir: join(dir, "mismatch"),
        chain: { rpcUrl: chain.url, deployments: { ...chain.deployments, chainId: 1 } },
        logger: pino({ level: "silent" }),
      }),
      /the RPC serves chain 31337 but the deployments are for chain 1/,
    );
  });

  it("refuses a deployments file whose stablecoin decimals differ from the token's on chain", async () => {
    // A stale or hand-written usdcDecimals would misread every USD amount by 10^12.
    await assert.rejects(
      startGatewayServer({
        port: 0,
        dataDir: join(dir, "decimals"),
        chain: { rpcUrl: chain.url, deployments: { ...chain.deployments, usdcDecimals: 18 } },
        logger: pino({ level: "silent" }),
      }),
      /has 6 decimals on chain, but the deployments say 18/,
    );
  });
});
