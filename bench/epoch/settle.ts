// One epoch's settlement computation, alone in its process so its peak RSS is its own: reads the
// epoch's usage from the database the parent generated and times each stage — aggregate (records
// streamed into totals, usage roots and spend per account), rewards (computeEpochRewards over every (account, $MT)), the
// input file written (canonical JSON streamed to disk, hashed as it goes: writeEpochInput; read.ts reads it
// back as `fomo epoch verify` does). Stakes and gmFLOCK, which the keeper takes from the read
// model, are drawn here from the account id so the rewards see stakers, lockers and neither.
// With --synthetic instead of --db, the records are generate.ts's drawn in memory and summed (no database,
// no usage trees: a placeholder usage root): the rest of the settlement at a scale whose database would take
// hours to fill on a loaded machine.
// Prints one JSON line. Usage: node bench/epoch/settle.ts --db URL_OR_DIR --from MS --to MS --out FILE [--threads N]
//        node bench/epoch/settle.ts --synthetic --records N --deployments N --accounts N --seed N --from MS --to MS --out FILE
// (--threads: worker threads hashing the receipts' leaves; 0 hashes on the main thread).
import { createWriteStream } from "node:fs";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { aggregateWindow, Ledger, openDatabase } from "@fomo/ledger";
import {
  computeEpochRewards,
  dailyEmission,
  EPOCH_INPUT_VERSION,
  FLOCK,
  loadFastKeccak,
  writeEpochInput,
  type EpochInputDeployment,
  type EpochUser,
} from "@fomo/sdk";
import { getAddress, keccak256, toHex, type Address } from "viem";
import { epochParties, usageRows } from "./generate.ts";

const { values } = parseArgs({
  options: {
    db: { type: "string" }, synthetic: { type: "boolean", default: false }, records: { type: "string" }, deployments: { type: "string" },
    accounts: { type: "string" }, seed: { type: "string" },
    from: { type: "string" }, to: { type: "string" }, out: { type: "string" }, threads: { type: "string", default: String(availableParallelism()) } },
});
const window = { fromMs: Number(values.from), toMs: Number(values.to) };
const clock = { start: BigInt(window.fromMs / 1000), length: BigInt((window.toMs - window.fromMs) / 1000) };

const stages: Record<string, number> = {};
async function stage<T>(name: string, run: () => Promise<T> | T): Promise<T> {
  const t0 = performance.now();
  const result = await run();
  stages[name] = Math.round(performance.now() - t0);
  return result;
}

/** A deterministic draw in [0, 1000) from an account id. */
const draw = (account: string) => {
  let h = 2166136261;
  for (let i = 0; i < account.length; i++) h = Math.imul(h ^ account.charCodeAt(i), 16777619);
  return (h >>> 0) % 1000;
};
const walletOf = (account: string): Address => `0x${Buffer.from(account).toString("hex").padStart(40, "0").slice(-40)}`;

await loadFastKeccak();
type Usage = Awaited<ReturnType<typeof aggregateWindow>>;
async function aggregateDatabase(where: string): Promise<Usage> {
  const db = await openDatabase(where.includes("://") ? where : { dataDir: where }, { migrate: false });
  try {
    return await aggregateWindow(new Ledger(db), window, { threads: Number(values.threads) });
  } finally {
    await db.destroy();
  }
}
/** generate.ts's records summed as aggregateWindow sums them, without a database or usage trees. */
function aggregateSynthetic(): Usage {
  const o = { records: Number(values.records), deployments: Number(values.deployments), accounts: Number(values.accounts), seed: Number(values.seed), ...window };
  const { deployments, accounts } = epochParties(o);
  const usage: Usage = new Map();
  for (const row of usageRows(o, deployments, accounts)) {
    const mt = getAddress(row.deployment);
    let u = usage.get(mt);
    if (!u) usage.set(mt, (u = { deployment: mt, records: 0, gross: 0n, hardCost: 0n, usageRoot: keccak256(toHex(mt)), spendByAccount: new Map() }));
    u.records++;
    u.gross += row.price_charged;
    u.hardCost += row.hard_cost;
    u.spendByAccount.set(row.account_id, (u.spendByAccount.get(row.account_id) ?? 0n) + row.price_charged);
  }
  return usage;
}
const usage = await stage("aggregate", () => (values.synthetic ? aggregateSynthetic() : aggregateDatabase(values.db!)));

const deployments = await stage("inputs", () => {
  const out: EpochInputDeployment[] = [];
  for (const u of usage.values()) {
    const users: EpochUser[] = [...u.spendByAccount].map(([account, paid]) => {
      const d = draw(account);
      const wallet = d < 900 ? walletOf(account) : null; // a tenth never bound a wallet
      return {
        account,
        wallet,
        spend: paid,
        stake: wallet && d < 300 ? BigInt(d + 1) * 1_000n * FLOCK * clock.length : 0n,
        gm: wallet && d < 50 ? BigInt(d + 1) * 500n * FLOCK : 0n,
      };
    });
    out.push({
      mt: u.deployment,
      issuer: walletOf(`issuer-${u.deployment}`),
      graduatedAt: clock.start - BigInt(draw(u.deployment)) * clock.length,
      poolRelease: { flock: 1_000n * FLOCK, mt: 5_000n * FLOCK },
      users,
      gross: u.gross,
      hardCost: u.hardCost,
      usageRoot: u.usageRoot,
    });
  }
  return out;
});
const flock: Address = "0x00000000000000000000000000000000000f10c4";
const input = { epoch: 0n, clock, emission: dailyEmission(0n), flock, carry: [], deployments };
const rewards = await stage("rewards", () => computeEpochRewards(input));
const file = { ...input, version: EPOCH_INPUT_VERSION, chainId: 31337, emissionDay: 0n } as const;
const written = await stage("write", async () => {
  const out = createWriteStream(values.out!);
  const result = await writeEpochInput(file, (bytes) => new Promise<void>((done, fail) => out.write(bytes, (e) => (e ? fail(e) : done()))));
  await new Promise<void>((done, fail) => out.end((e?: Error | null) => (e ? fail(e) : done())));
  return result;
});

let records = 0;
for (const u of usage.values()) records += u.records;
process.stdout.write(
  `${JSON.stringify({
    stages,
    deployments: usage.size,
    records,
    allotments: rewards.allotments.length,
    allotted: rewards.allotments.reduce((sum, a) => sum + a.amount, 0n).toString(),
    hash: written.hash,
    inputFileMiB: Math.round(written.bytes / 2 ** 20),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
