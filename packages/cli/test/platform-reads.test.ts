// The platform's public read API on a real chain: FOMO on a hardhat node (@fomo/testkit), a history
// made through the SDK's actions (an offering that graduates and is claimed and staked, one that
// fails and is refunded, one still raising), indexed by the engine's real Indexer into the read
// model, and served by the platform through the CLI's PublicReads (commands/platform.ts). Each
// answer is checked against the contracts' own reads, on SQLite and PostgreSQL.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { Indexer, readModelProjections } from "@fomo/engine";
import { Ledger, databaseTarget, openDatabase, type Database } from "@fomo/ledger";
import { API_PREFIX, SESSION_COOKIE, buildPlatform } from "@fomo/platform";
import {
  FLOCK, MT, TOTAL_SUPPLY, buy, claim, getCooldown, getEpochClock, getOffering, getPosition, getStake, launch, modelTokenAbi, refund, stake, stateName, unstake,
} from "@fomo/sdk";
import { writeDeployments } from "@fomo/sdk/node";
import { describeEachDatabase } from "@fomo/testkit/databases";
import { openApiChecker } from "@fomo/testkit/openapi";
import { freePort } from "@fomo/testkit/ports";
import { graduatedMt, startChain, type TestChain } from "@fomo/testkit/chain";
import type { FastifyInstance } from "fastify";
import type { Address, PublicClient } from "viem";
import { publicReads } from "../src/commands/platform.ts";
import { deploymentsPath } from "../src/paths.ts";
import { CLI_ENV, MAIN } from "./support/fomo.ts";

const DAY = 86_400;
/** Request paths → the OpenAPI path whose schemas they answer with. */
const DOCUMENTED: Array<[RegExp, string]> = [
  [/^\/offerings$/, "/offerings"],
  [/^\/offerings\/[^/]+$/, "/offerings/{id}"],
  [/^\/offerings\/[^/]+\/candles$/, "/offerings/{id}/candles"],
  [/^\/offerings\/[^/]+\/trades$/, "/offerings/{id}/trades"],
  [/^\/tokens\/[^/]+\/holders$/, "/tokens/{mt}/holders"],
  [/^\/portfolios\/[^/]+$/, "/portfolios/{address}"],
  [/^\/network$/, "/network"],
];

interface Played {
  chain: TestChain;
  graduated: Address;
  failed: Address;
  raising: Address;
  refunded: bigint;
  me: Address;
}

let played: Played | undefined;
before(async () => {
  const chain = await startChain();
  try {
    const c = chain.keeper;
    const d = chain.d;
    const me = c.wallet.account.address;
    const increaseTime = async (seconds: number) => {
      await c.public.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
      await c.public.request({ method: "evm_mine" as never, params: [] as never });
    };
    const graduated = await graduatedMt(chain, "GRAD");
    await claim(c, d, { mt: graduated });
    const { mt: failed } = await launch(c, d, { templateId: 0, name: "Failing Model", ticker: "FAIL" });
    await increaseTime(3_600);
    await buy(c, d, { mt: failed, flockIn: 1_000n * FLOCK, maxFeeBps: 10_000 }); // inside the anti-snipe window, knowingly
    await increaseTime(8 * DAY);
    const { amount: refunded } = await refund(c, d, { mt: failed });
    const { mt: raising } = await launch(c, d, { templateId: 0, name: "Raising Model", ticker: "RAISE" });
    await buy(c, d, { mt: raising, flockIn: 3_000n * FLOCK, maxFeeBps: 10_000 });
    // 2,000 staked, 500 of it unstaked and cooling: 1,500 left, the >= 1,000 $MT tier (5%).
    await stake(c, d, { mt: graduated, amount: 2_000n * MT });
    await unstake(c, d, { mt: graduated, amount: 500n * MT });
    played = { chain, graduated, failed, raising, refunded, me };
  } catch (error) {
    await chain.close();
    throw error;
  }
});
after(() => played?.chain.close());

describeEachDatabase("platform public read API on a real chain", (suite) => {
  let app: FastifyInstance;
  let db: Database;
  before(async () => {
    const { chain } = played!;
    db = await suite.open();
    const client = chain.keeper.public as PublicClient;
    const indexer = new Indexer({ db, client, deployments: chain.d, projections: readModelProjections(chain.d.contracts) });
    for (let i = 0; !(await indexer.syncOnce()).caughtUp; i++) assert.ok(i < 1_000, "the indexer catches up");
    app = await buildPlatform({
      ledger: new Ledger(db), publicClient: client, siwe: { domain: "localhost", chainId: chain.d.chainId }, session: { secureCookie: false },
      reads: publicReads({ db, client, deployments: chain.d }), rateLimit: false, signInSweep: false,
    });
  });
  after(() => app?.close());

  const get = async (url: string, status = 200) => {
    const response = await app.inject({ method: "GET", url: API_PREFIX + url });
    assert.equal(response.statusCode, status, `${url}: ${response.body}`);
    // Every answer, errors included, is what the OpenAPI document says it is.
    const documented = DOCUMENTED.find(([pattern]) => pattern.test(url.split("?")[0]!));
    if (documented) (await matchesOpenApi())("GET", documented[1], response);
    return response.json();
  };
  let checker: Promise<Awaited<ReturnType<typeof openApiChecker>>> | undefined;
  const matchesOpenApi = () => (checker ??= openApiChecker(app, API_PREFIX));

  it("lists offerings with the chain's state and raise, filters by state, sorts, and pages", { timeout: 120_000 }, async () => {
    const { chain, graduated, failed, raising } = played!;
    const listed = await get("/offerings?sort=launched&order=asc");
    assert.deepEqual(listed.data.map((o: { mt: Address }) => o.mt), [graduated, failed, raising]);
    for (const o of listed.data) {
      const onChain = await getOffering(chain.keeper.public, chain.d, { mt: o.mt });
      assert.equal(o.state, stateName(onChain.state).toLowerCase(), o.ticker);
      assert.equal(BigInt(o.raised_flock), onChain.raised, o.ticker);
      assert.equal(BigInt(o.progress_bps), (onChain.raised * 10_000n) / onChain.raiseMax, o.ticker);
    }
    assert.deepEqual(listed.data.map((o: { state: string }) => o.state), ["graduated", "failed", "raising"]);
    assert.deepEqual((await get("/offerings?state=failed")).data.map((o: { ticker: string }) => o.ticker), ["FAIL"]);
    // By raise, largest first.
    const byRaised = (await get("/offerings?sort=raised&order=desc")).data.map((o: { raised_flock: string }) => BigInt(o.raised_flock));
    assert.deepEqual(byRaised, [...byRaised].sort((a, b) => (a === b ? 0 : a < b ? 1 : -1)));
    // Pages of one: every offering once, then no cursor.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ mt: string }>; next_cursor: string | null } = await get(`/offerings?limit=1&order=asc${cursor ? `&cursor=${cursor}` : ""}`);
      assert.equal(page.data.length, 1);
      seen.push(page.data[0]!.mt);
      cursor = page.next_cursor;
    } while (cursor);
    assert.deepEqual(seen, [graduated, failed, raising]);
  });

  it("shows an offering by ticker or address with candles ending at the chain's price", { timeout: 60_000 }, async () => {
    const { chain, graduated } = played!;
    const byTicker = await get("/offerings/grad?interval=3600");
    const byAddress = await get(`/offerings/${graduated.toLowerCase()}`);
    assert.equal(byTicker.mt, graduated);
    assert.equal(byAddress.mt, graduated);
    const onChain = await getOffering(chain.keeper.public, chain.d, { mt: graduated });
    assert.ok(byTicker.candles.length >= 1);
    assert.equal(BigInt(byTicker.candles.at(-1).close), onChain.price, "the last candle closes at Launchpad.offering's price");
    assert.equal(byTicker.seconds_left, 0);
    const candles = await get(`/offerings/${graduated}/candles?interval=60&limit=1`);
    assert.equal(candles.data.length, 1);
  });

  it("shows an $MT's supply and holders as the token reports them", { timeout: 60_000 }, async () => {
    const { chain, graduated } = played!;
    const token = await get(`/tokens/${graduated}`);
    const totalSupply = await chain.keeper.public.readContract({ address: graduated, abi: modelTokenAbi, functionName: "totalSupply" });
    assert.equal(BigInt(token.total_supply), totalSupply);
    assert.equal(token.ticker, "GRAD");
    assert.equal(token.revenue.epochs_reported, 0);
    assert.deepEqual((await get(`/tokens/${graduated}/epochs`)).data, []);
  });

  it("shows a portfolio: positions as Launchpad.positionOf, the refund, the claim, and the stake with its tier and cooldown", { timeout: 60_000 }, async () => {
    const { chain, graduated, failed, raising, refunded, me } = played!;
    const p = await get(`/portfolios/${me.toLowerCase()}`);
    assert.equal(p.address, me);
    const raisingPosition = await getPosition(chain.keeper.public, chain.d, { mt: raising, account: me });
    const mine = p.positions.find((x: { mt: string }) => x.mt === raising);
    assert.equal(BigInt(mine.mt_owed), raisingPosition.mt);
    assert.equal(BigInt(mine.flock_committed), raisingPosition.flock);
    assert.equal(mine.state, "raising");
    assert.equal(p.positions.some((x: { mt: string }) => x.mt === failed), false, "a refunded position is cleared");
    assert.deepEqual(p.refunds.map((r: { mt: string; flock: string }) => [r.mt, BigInt(r.flock)]), [[failed, refunded]]);
    assert.equal(p.claims.length, 1);
    assert.equal(p.claims[0].mt, graduated);
    assert.match(p.claims[0].tx_hash, /^0x[0-9a-f]{64}$/);
    const cooldown = await getCooldown(chain.keeper.public, chain.d, { mt: graduated, account: me });
    assert.deepEqual(p.stakes.map((s: any) => ({ mt: s.mt, staked: BigInt(s.staked), cooling: BigInt(s.cooling), release_at: BigInt(s.release_at), tier: s.discount_bps, withdrawable: s.withdrawable })), [
      { mt: graduated, staked: await getStake(chain.keeper.public, chain.d, { mt: graduated, account: me }), cooling: cooldown.amount, release_at: cooldown.releaseAt, tier: 500, withdrawable: false },
    ]);
    assert.equal(BigInt(p.stakes[0].staked), 1_500n * MT);
    assert.equal(p.rewards, null, "no root published yet");
    // An address that never touched FOMO has an empty portfolio.
    const nobody = await get("/portfolios/0x000000000000000000000000000000000000bEEF");
    assert.deepEqual([nobody.positions, nobody.refunds, nobody.claims, nobody.stakes], [[], [], [], []]);
  });

  it("shows an offering's trades, an $MT's holders, each offering's 24 h volume and market cap, as the chain has them", { timeout: 60_000 }, async () => {
    const { chain, graduated, failed, raising, me } = played!;
    const trades = await get("/offerings/RAISE/trades");
    assert.equal(trades.data.length, 1);
    const [trade] = trades.data;
    assert.equal(trade.buyer, me);
    assert.equal(BigInt(trade.flock_in), 3_000n * FLOCK);
    const position = await getPosition(chain.keeper.public, chain.d, { mt: raising, account: me });
    assert.equal(BigInt(trade.mt_out), position.mt);
    assert.equal(BigInt(trade.raised_after), (await getOffering(chain.keeper.public, chain.d, { mt: raising })).raised);
    assert.equal(BigInt(trade.flock_in), BigInt(trade.net_flock) + BigInt(trade.base_fee) + BigInt(trade.surcharge));
    // Newest first: the graduated offering's buys, their blocks descending.
    const gradTrades = (await get("/offerings/GRAD/trades")).data.map((t: { block_number: string }) => BigInt(t.block_number));
    assert.deepEqual(gradTrades, [...gradTrades].sort((a, b) => (a === b ? 0 : a < b ? 1 : -1)));

    const holders = (await get(`/tokens/${graduated}/holders?limit=200`)).data;
    assert.ok(holders.length >= 2, "the claimer and the pool at least");
    for (const h of holders) {
      const balance = await chain.keeper.public.readContract({ address: graduated, abi: modelTokenAbi, functionName: "balanceOf", args: [h.account] });
      assert.equal(BigInt(h.balance), balance, h.account);
    }
    const balances = holders.map((h: { balance: string }) => BigInt(h.balance));
    assert.deepEqual(balances, [...balances].sort((a, b) => (a === b ? 0 : a < b ? 1 : -1)), "largest first");

    const listed = new Map<string, any>((await get("/offerings")).data.map((o: { mt: string }) => [o.mt, o]));
    // RAISE was bought within the day before the latest block; FAIL's buy was 8 days earlier.
    assert.equal(BigInt(listed.get(raising).volume_24h_flock), 3_000n * FLOCK);
    assert.equal(BigInt(listed.get(failed).volume_24h_flock), 0n);
    for (const o of listed.values()) {
      const price = BigInt(o.pool_price ?? o.curve_price);
      assert.equal(BigInt(o.market_cap_flock), (price * TOTAL_SUPPLY) / MT, o.ticker);
    }
    assert.equal((await get(`/offerings/RAISE`)).volume_24h_flock, listed.get(raising).volume_24h_flock);
  });

  it("answers bad input with 400 and unknown things with 404", { timeout: 60_000 }, async () => {
    const bad: Array<[string, RegExp]> = [
      ["/offerings?state=dead", /querystring\/state must be equal to one of the allowed values/],
      ["/offerings?sort=price", /querystring\/sort must be equal to one of the allowed values/],
      ["/offerings?creator=0x12", /querystring\/creator must match pattern/],
      ["/offerings?cursor=eyJ4IjoxfQ", /cursor is not one this API issued/],
      ["/offerings/GRAD?interval=5", /querystring\/interval must be >= 60/],
      ["/offerings/GRAD?from=100&to=50", /to must be after from/],
      ["/offerings/not%20a%20ticker", /params\/id must match pattern/],
      ["/tokens/0x12", /params\/mt must match pattern/],
      ["/portfolios/nobody", /params\/address must match pattern/],
      ["/epochs?limit=1000", /querystring\/limit must be <= 200/],
      ["/epochs/-1", /params\/epoch must be >= 0/],
    ];
    for (const [url, message] of bad) {
      const body = await get(url, 400);
      assert.equal(body.error.code, "invalid_request", url);
      assert.match(body.error.message, message, url);
    }
    assert.equal((await get("/offerings/NOPE", 404)).error.code, "not_found");
    assert.equal((await get("/offerings/NOPE/trades", 404)).error.code, "not_found");
    assert.equal((await get("/tokens/0x0000000000000000000000000000000000000001/holders", 404)).error.code, "not_found");
    // Started without a network (no deployments named to it), /network says so.
    assert.equal((await get("/network", 503)).error.code, "network_unavailable");
    assert.equal((await get("/tokens/0x0000000000000000000000000000000000000001", 404)).error.code, "not_found");
    assert.equal((await get("/epochs/7", 404)).error.code, "not_found");
    assert.deepEqual(await get("/epochs"), { data: [], next_cursor: null });
  });
});

it("`fomo platform` serves the API under /api/v1 with the data dir's deployments: OpenAPI, public reads, deposit instructions", { timeout: 120_000 }, async () => {
  const { chain } = played!;
  const dir = mkdtempSync(join(tmpdir(), "fomo-platform-cli-"));
  writeDeployments(deploymentsPath(dir, chain.d.chainId), chain.d);
  const port = await freePort();
  // A stand-in build of the web app: the platform serves whatever the directory holds.
  const web = join(dir, "web");
  mkdirSync(join(web, "assets"), { recursive: true });
  writeFileSync(join(web, "index.html"), "<!doctype html><title>FOMO app</title>");
  writeFileSync(join(web, "assets", "app-1234.js"), "console.log('app')");
  const gatewayUrl = "http://127.0.0.1:9999/v1";
  const child = spawn(process.execPath, [MAIN, "platform", "--port", String(port), "--data-dir", dir, "--rpc-url", chain.url, "--gateway-url", gatewayUrl, "--web-dir", web], {
    env: CLI_ENV, stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const base = `http://127.0.0.1:${port}${API_PREFIX}`;
  try {
    let openapi: Response | undefined;
    for (let i = 0; i < 300 && !openapi; i++) {
      openapi = await fetch(`${base}/openapi.json`).catch(() => undefined);
      if (!openapi) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(openapi, stderr);
    assert.equal((await openapi.json()).openapi, "3.1.0");
    assert.match(stderr, /public reads on/);
    // What the browser needs: the chain as it reaches it, the gateway, the deployments; dev accounts only on a local chain.
    const network = await (await fetch(`${base}/network`)).json();
    assert.equal(network.chain_id, chain.d.chainId);
    assert.equal(network.rpc_url, chain.url);
    assert.equal(network.gateway_url, gatewayUrl);
    assert.equal(network.siwe_domain, `127.0.0.1:${port}`, "the host the stack serves the app at");
    assert.equal(network.deployments.contracts.launchpad, chain.d.contracts.launchpad);
    assert.equal(network.epoch_seconds, Number((await getEpochClock(chain.keeper.public, chain.d)).length));
    assert.equal(network.local, chain.d.chainId === 31337);
    assert.equal(network.dev_accounts.length > 0, network.local);
    // The app at "/", its own routes answered with index.html, assets cached for good; the API's unknown routes stay JSON 404s.
    const site = `http://127.0.0.1:${port}`;
    for (const path of ["/", "/offerings/ABC", "/console?x=1"]) {
      const page = await fetch(site + path);
      assert.equal(page.status, 200, path);
      assert.match(await page.text(), /<title>FOMO app<\/title>/, path);
      assert.equal(page.headers.get("cache-control"), "no-cache", path);
    }
    const asset = await fetch(`${site}/assets/app-1234.js`);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
    assert.equal((await fetch(`${site}/assets/gone-0000.js`)).status, 404);
    // The app's files are not rate-limited (a page load asks for a dozen): more than the API's 300 a minute all answer.
    const loads = await Promise.all(Array.from({ length: 320 }, (_, i) => fetch(i % 2 ? `${site}/assets/app-1234.js` : `${site}/console`)));
    assert.deepEqual([...new Set(loads.map((r) => r.status))], [200]);
    assert.equal(loads[0]!.headers.get("x-ratelimit-limit"), null);
    assert.equal((await fetch(`${base}/network`)).headers.get("x-ratelimit-limit"), "300", "the API still is");
    const unknownApi = await fetch(`${base}/nope`);
    assert.equal(unknownApi.status, 404);
    assert.equal((await unknownApi.json()).error.code, "not_found");
    assert.equal((await fetch(`${site}/`, { method: "POST", headers: { "x-fomo-csrf": "1" } })).status, 404);
    // Nothing indexed into this data dir's database yet: an empty list, not a 503.
    assert.deepEqual(await (await fetch(`${base}/offerings`)).json(), { data: [], next_cursor: null, as_of: "0" });
    // Signed in (a session opened in the same database), the deposit instructions name the deployments' CreditDeposits.
    const db = await openDatabase(databaseTarget(undefined, dir));
    try {
      const ledger = new Ledger(db);
      const account = await ledger.accounts.create("cli-team");
      const { token } = await ledger.sessions.create({ accountId: account.id, wallet: chain.keeper.wallet.account.address, ttlMs: 60_000 });
      const deposit = await (await fetch(`${base}/account/credits/deposit`, { headers: { cookie: `${SESSION_COOKIE}=${token}` } })).json();
      assert.deepEqual([deposit.usdc.contract, deposit.usdc.token, deposit.usdc.token_decimals], [chain.d.contracts.creditDeposits, chain.d.contracts.usdc, chain.d.usdcDecimals]);
    } finally {
      await db.destroy();
    }
  } finally {
    child.kill("SIGTERM");
    await once(child, "exit");
    rmSync(dir, { recursive: true, force: true });
  }
});
