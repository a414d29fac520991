// Issue 17 item 6: on the local stack the gateway and the keeper count time as the chain does. After
// the chain's clock jumps a day ahead of the wall clock (evm_increaseTime, as `dev advance` does), a
// request through the gateway (started as `fomo gateway` and `fomo up` start it, on the real local
// model, with the official openai client) is dated in the chain's current epoch, not the wall clock's,
// and a keeper on the chain's clock settles it in that epoch, while one on the wall clock finds the
// epoch not even begun.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { EpochNotFinal, Keeper } from "@fomo/engine";
import { readEnv, type GatewayServer } from "@fomo/gateway";
import { Ledger } from "@fomo/ledger";
import { epochGraceMs, epochOf, epochWindowMs, getEpochClock, type EpochClock } from "@fomo/sdk";
import OpenAI from "openai";
import { zeroAddress } from "viem";
import { CHAIN_CLOCK_REFRESH_MS, chainClock, type Clock } from "../src/clock.ts";
import { startGateway } from "../src/commands/gateway.ts";
import { startCliChain, type CliChain } from "./support/fomo.ts";

const DAY = 86_400;

let cli: CliChain;
let gateway: GatewayServer;
let clock: EpochClock;
let time: Clock;

const rpc = (method: string, params: unknown[] = []) => cli.chain.keeper.public.request({ method: method as never, params: params as never });
const chainSeconds = async () => (await cli.chain.keeper.public.getBlock({ blockTag: "latest" })).timestamp;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

before(async () => {
  cli = await startCliChain("fomo-clock-", { epochSeconds: 60 });
  try {
    clock = await getEpochClock(cli.chain.keeper.public, cli.chain.d);
    gateway = await startGateway({
      port: 0, dataDir: cli.dir, env: readEnv({}), chain: { rpcUrl: cli.chain.url, deployments: cli.chain.d }, logFile: join(cli.dir, "gateway.log"),
    });
    time = await chainClock(cli.chain.keeper.public);
  } catch (error) {
    await cli.close();
    throw error;
  }
});

after(async () => {
  time?.stop();
  await gateway?.close();
  await cli?.close();
});

test("after the chain's clock jumps a day, a request is dated in the chain's epoch and the keeper settles it there", { timeout: 300_000 }, async () => {
  const ledger = new Ledger(cli.db);
  const account = await ledger.accounts.create("clock");
  await ledger.credits.add({ accountId: account.id, amount: 5_000_000n, ref: "clock-seed" });
  const { secret } = await ledger.keys.create({ accountId: account.id });

  await rpc("evm_increaseTime", [DAY]);
  await rpc("evm_mine");
  // The clocks read the chain's time within their refresh.
  await sleep(2 * CHAIN_CLOCK_REFRESH_MS);
  await time.refresh();
  const k = epochOf(clock, await chainSeconds());
  // Deploying mines blocks faster than a second each, so the chain (and the schedule's start) can be ahead of the wall clock.
  const wallSeconds = BigInt(Math.floor(Date.now() / 1_000));
  const wallEpoch = wallSeconds < clock.start ? 0n : epochOf(clock, wallSeconds);
  assert.ok(k >= wallEpoch + BigInt(DAY) / clock.length - 2n, `the chain is a day ahead: epoch ${k}, the wall clock's ${wallEpoch}`);

  const openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1` });
  const model = (await openai.models.list()).data.find((m) => m.owned_by === "fomo")!.id;
  const reply = await openai.chat.completions.create({ model, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 8 });
  assert.ok(reply.id);
  const window = epochWindowMs(clock, k);
  // The request might straddle an epoch's end: it is in k, or the one after at most.
  const records = await ledger.usage.listWindow({ fromMs: window.fromMs, toMs: window.toMs + Number(clock.length) * 1_000 });
  assert.equal(records.length, 1, "the request is dated in the chain's epoch");
  const [record] = records;
  const dated = epochOf(clock, BigInt(Math.floor(Number(record!.createdAt) / 1_000)));
  assert.ok(dated === k || dated === k + 1n, `dated in epoch ${dated}, the chain is in ${k}`);
  assert.equal((await ledger.usage.listWindow({ fromMs: 0, toMs: window.fromMs })).length, 0, "nothing dated by the wall clock");

  // Past the epoch's end and grace in chain time (a minute's epoch): the chain-clock keeper settles it.
  const finalAt = epochWindowMs(clock, dated).toMs + epochGraceMs(clock);
  const wait = BigInt(Math.ceil((finalAt - Number(await chainSeconds()) * 1_000) / 1_000)) + 1n;
  if (wait > 0n) {
    await rpc("evm_increaseTime", [Number(wait)]);
    await rpc("evm_mine");
  }
  await time.refresh();
  const keeperOn = (now: () => number) =>
    new Keeper({ db: cli.db, ledger, clients: cli.chain.keeper, deployments: cli.chain.d, clock, lastStep: "aggregated", now });
  await assert.rejects(keeperOn(Date.now).settle(dated), EpochNotFinal, "on the wall clock the epoch is a day ahead");
  const settled = await keeperOn(time.now).settle(dated);
  assert.equal(settled.step, "aggregated");
  const rows = await keeperOn(time.now).deployments(dated);
  assert.deepEqual(rows.map((r) => [r.deployment, r.records]), [[zeroAddress, 1n]], "the request settled in the chain's epoch");
});
