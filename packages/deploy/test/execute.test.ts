// The resumable executor at the two moments a kill can land in a step: after its signed transaction
// is recorded but before it is broadcast, and after it is mined but before its receipt is recorded.
// Either way a rerun finishes the plan with exactly one transaction per step. And the plan deployLocal
// runs is the network's plus the test tokens, the DEX and their funding.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, http, parseEther, type Address } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { defaultCatalog, FLOCK } from "@fomo/sdk";
import { chainOf, executePlan, fomoPlan, startHardhatNode, type HardhatNode, type Journal, type JournalEntry, type Step, type Wallet } from "../src/index.ts";

/** A journal in memory that can "die" at a chosen write, as a killed process would. */
function memoryJournal() {
  const entries = new Map<string, JournalEntry>();
  let dieAt: ((id: string, e: JournalEntry) => boolean) | undefined;
  const journal: Journal & { dieWhen(f: typeof dieAt): void; entries: Map<string, JournalEntry> } = {
    entries,
    get: (id) => entries.get(id),
    put(id, e) {
      entries.set(id, e);
      if (dieAt?.(id, e)) {
        dieAt = undefined;
        throw new Error("killed");
      }
    },
    dieWhen(f) {
      dieAt = f;
    },
  };
  return journal;
}

const parties = (me: Address) => ({ deployer: me, treasury: me, hostingReserve: me, keeper: me, pauser: me, guardian: me, emissionReserve: me, proposer: me });

describe("executePlan with a journal", () => {
  let node: HardhatNode;
  let wallet: Wallet;
  let steps: Step[];
  before(async () => {
    node = await startHardhatNode({ port: 0 });
    const account = privateKeyToAccount(generatePrivateKey());
    await node.publicClient.request({ method: "hardhat_setBalance" as never, params: [account.address, `0x${parseEther("10").toString(16)}`] as never });
    wallet = createWalletClient({ account, chain: chainOf(31337), transport: http(node.url) }) as Wallet;
    steps = fomoPlan({
      parties: parties(account.address), localTokens: { usdcDecimals: 6 }, catalog: defaultCatalog.slice(0, 1), rewardsChallengeDelay: 60,
      emissionFunding: 1_000n * FLOCK, timelockDelay: 3_600,
    });
  });
  after(async () => node?.stop());

  it("resumes a step recorded but never broadcast, and one mined but never recorded, sending each once", async () => {
    const journal = memoryJournal();
    const nonce = () => node.publicClient.getTransactionCount({ address: wallet.account.address });
    const run = () => executePlan(steps, { publicClient: node.publicClient, wallet, journal });

    // Killed right after recording step 5's signed transaction: it never reached the chain.
    journal.dieWhen((id, e) => id === steps[5]!.id && !e.done);
    await assert.rejects(run(), /killed/);
    assert.equal(await nonce(), 5, "steps 0-4 sent, step 5 recorded only");
    assert.equal(journal.get(steps[5]!.id)?.done, undefined);

    // Killed right after step 12 was mined, before its receipt was recorded.
    journal.dieWhen((id, e) => id === steps[12]!.id && e.done !== undefined);
    await assert.rejects(run(), /killed/);
    assert.equal(await nonce(), 13);
    journal.entries.set(steps[12]!.id, { ...journal.get(steps[12]!.id)!, done: undefined }); // the lost write

    const done = await run();
    assert.equal(await nonce(), steps.length, "one transaction per step");
    assert.equal(done.contracts.launchpad, journal.get("launchpad")!.done!.address);
    for (const s of steps) assert.ok(journal.get(s.id)?.done, `${s.id} recorded done`);

    // A finished plan sends nothing more.
    await run();
    assert.equal(await nonce(), steps.length);
  });

  it("refuses a recorded transaction whose nonce another transaction took", async () => {
    const journal = memoryJournal();
    const other = fomoPlan({ parties: parties(wallet.account.address), localTokens: { usdcDecimals: 18 }, catalog: [], rewardsChallengeDelay: 60 });
    journal.dieWhen((id, e) => id === other[0]!.id && !e.done);
    await assert.rejects(executePlan(other, { publicClient: node.publicClient, wallet, journal }), /killed/);
    // Something else signs with the key meanwhile, taking the recorded nonce.
    await node.publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: wallet.account.address, value: 0n }) });
    await assert.rejects(executePlan(other, { publicClient: node.publicClient, wallet, journal }), /its recorded transaction 0x[0-9a-f]{64} \(nonce \d+\) cannot be sent again/);
  });
});

describe("the one plan", () => {
  it("is, on a local chain, the network's plan after the test tokens and the DEX, with the local funding before governance", () => {
    const me = "0x0000000000000000000000000000000000000001" as const;
    const base = { parties: parties(me), catalog: defaultCatalog, rewardsChallengeDelay: 60, timelockDelay: 3_600 };
    const network = fomoPlan(base).map((s) => s.id);
    const local = fomoPlan({ ...base, localTokens: { usdcDecimals: 6 }, emissionFunding: 1n, settlement: 1n, pool: { flock: 1n, usdc: 1n } }).map((s) => s.id);
    assert.deepEqual(local.slice(0, 5), ["flock", "usdc", "weth", "uniswapV2Factory", "uniswapV2Router"]);
    const localOnly = new Set(["flock", "usdc", "weth", "uniswapV2Factory", "uniswapV2Router", "mint:emission", "approve:emission", "mint:settlement",
      "mint:pool:flock", "mint:pool:usdc", "approve:pool:flock", "approve:pool:usdc", "addLiquidity", "oracle:flockUsdc"]);
    assert.deepEqual(local.filter((id) => !localOnly.has(id)), network);
    assert.equal(new Set(local).size, local.length, "step ids are unique (the journal's keys)");
  });
});
