// The token layer from the terminal: `stake`, `unstake`, `withdraw` ($MT on MtStaking), `lock`
// (FLOCK into gmFLOCK), `rewards` and `rewards claim` (the RewardsDistributor's cumulative allotments,
// proven from the published epoch input files), `yield claim` (the issuer's share on the RevenueRouter).
// Each signs with the user's signer (signer.ts) and prints a human summary or, with --json, one document.
import { constants, createReadStream } from "node:fs";
import { access } from "node:fs/promises";
import { inputFilePath, rollCumulative } from "@fomo/engine";
import {
  buildRewardsTree, claimReward, claimYield, computeEpochRewards, describeError, formatAmount,
  getClaimed, getCooldown, getDistributorState, getGmBalance, getPendingRoot, getStake, getYieldOwed, gmBoost, gmFor, GM_MAX_DAYS,
  isValidTicker, lockFlock, readEpochInput, stake, unstake, withdrawStake, formatUsdc, type EpochInputFile, type RewardClaim,
} from "@fomo/sdk";
import { erc20Abi, formatUnits, getAddress, isAddress, isAddressEqual, type Address, type Hex } from "viem";
import { parseTokenAmount } from "../amounts.ts";
import { CHAIN_FLAGS, chainDefaults, chainOptions, parseCount, parseFlags, UsageError, type ChainOptions } from "../args.ts";
import { SIGNER_FLAGS, signerDefaults, signerOptions, type SignerOptions } from "../signer.ts";
import { formatTable, jsonDocument, openUserContext, type UserContext } from "./chain.ts";
import { resolveOffering } from "./offerings.ts";

/** What every user command shares: where the chain is, who signs, and the output form. */
export interface UserCommandOptions extends ChainOptions {
  signer: SignerOptions;
  json: boolean;
}

export type TokenCommand =
  | { command: "stake" | "unstake"; ticker: string; amount: bigint }
  | { command: "withdraw" | "yield claim"; ticker: string }
  | { command: "lock"; amount: bigint; days: bigint }
  | { command: "rewards" | "rewards claim" };

export type TokenOptions = UserCommandOptions & TokenCommand;

const USAGES = {
  stake: "stake TICKER AMOUNT",
  unstake: "unstake TICKER AMOUNT",
  withdraw: "withdraw TICKER",
  lock: "lock FLOCK DAYS",
  rewards: "rewards [claim]",
  yield: "yield claim TICKER",
} as const;
type TokenGroup = keyof typeof USAGES;

/** `stake|unstake TICKER AMOUNT`, `withdraw TICKER`, `lock FLOCK DAYS`, `rewards [claim]`, `yield claim TICKER`, each `[--json] [--from N] [--keystore FILE] CHAIN_FLAGS`. */
export function parseTokenArgs(group: TokenGroup, args: string[]): TokenOptions {
  const usage = `${USAGES[group]} [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`;
  const { positional, flags, json } = splitArgs(args);
  const want = (n: number) => {
    if (positional.length !== n) throw new UsageError(`fomo ${group}: ${positional.length < n ? "missing" : "unexpected"} arguments (usage: fomo ${usage})`);
  };
  return parseFlags(flags, usage, { ...chainDefaults(), ...signerDefaults() }, (v) => {
    const common = { ...chainOptions(v), signer: signerOptions(v), json };
    switch (group) {
      case "stake":
      case "unstake":
        want(2);
        return { ...common, command: group, ticker: parseTicker(positional[0]!), amount: parseTokenAmount(positional[1]!, "AMOUNT", "$MT") };
      case "withdraw":
        want(1);
        return { ...common, command: group, ticker: parseTicker(positional[0]!) };
      case "lock":
        want(2);
        return { ...common, command: group, amount: parseTokenAmount(positional[0]!, "FLOCK", "FLOCK"), days: BigInt(parseCount(positional[1]!, "DAYS", 1, Number(GM_MAX_DAYS))) };
      case "rewards":
        if (positional.length > 1 || (positional.length === 1 && positional[0] !== "claim")) throw new UsageError(`fomo rewards: unknown subcommand ${positional[0]} (usage: fomo ${usage})`);
        return { ...common, command: positional.length === 0 ? "rewards" : "rewards claim" };
      case "yield":
        if (positional[0] !== "claim") throw new UsageError(`fomo yield: unknown subcommand ${positional[0] ?? "(none)"} (usage: fomo ${usage})`);
        positional.shift();
        want(1);
        return { ...common, command: "yield claim", ticker: parseTicker(positional[0]!) };
    }
  });
}

/**
 * A command line's positional arguments (anywhere), its `--name value` flags and `--json`. A value
 * always follows its flag, so `stake --from 2 GOOD 10` and `stake GOOD 10 --from 2` read the same.
 */
export function splitArgs(args: string[]): { positional: string[]; flags: string[]; json: boolean } {
  const positional: string[] = [];
  const flags: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--json") json = true;
    else if (arg.startsWith("--")) flags.push(arg, ...(i + 1 < args.length ? [args[++i]!] : []));
    else positional.push(arg);
  }
  return { positional, flags, json };
}

/** A ticker (A-Z and 0-9, any case, a leading `$` allowed) or an $MT address; offerings.ts resolveOffering finds it. */
function parseTicker(value: string): string {
  if (isAddress(value, { strict: false })) return getAddress(value);
  const ticker = value.replace(/^\$/, "").toUpperCase();
  if (!isValidTicker(ticker)) throw new Error(`TICKER: not a ticker (1-10 of A-Z and 0-9) or an $MT address: ${value}`);
  return ticker;
}

export async function tokens(opts: TokenOptions): Promise<number> {
  const ctx = await openUserContext(opts);
  try {
    const out = await run(ctx, opts);
    process.stdout.write(opts.json ? jsonDocument(out.json) : out.text);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new Error(describeError(error, { usdcDecimals: ctx.deployments.usdcDecimals }));
  } finally {
    await ctx.db.destroy();
  }
}

interface Output {
  json: Record<string, unknown>;
  text: string;
}

const progress = (line: string) => process.stderr.write(`[fomo] ${line}\n`);
const iso = (unix: bigint) => new Date(Number(unix) * 1_000).toISOString();

async function run(ctx: UserContext, opts: TokenOptions): Promise<Output> {
  const { clients, deployments: d, signer } = ctx;
  const me = signer.account.address;
  const base = { chainId: d.chainId, account: me };
  switch (opts.command) {
    case "stake":
    case "unstake":
    case "withdraw": {
      const { mt, ticker } = await resolveOffering(ctx, opts.ticker);
      if (opts.command === "stake") {
        progress(`staking ${formatAmount(opts.amount)} ${ticker} ($MT ${mt}) from ${signer.source} ${me}`);
        const sent = await stake(clients, d, { mt, amount: opts.amount });
        const staked = await getStake(ctx.client, d, { mt, account: me });
        return {
          json: { ...base, ticker, mt, staked: sent.staked.amount, stake: staked, tx: sent.hash },
          text: `staked ${formatAmount(sent.staked.amount)} ${ticker}: your counted stake is ${formatAmount(staked)} ${ticker} (tx ${sent.hash})\n`,
        };
      }
      if (opts.command === "unstake") {
        progress(`unstaking ${formatAmount(opts.amount)} ${ticker} ($MT ${mt}) from ${signer.source} ${me}`);
        const sent = await unstake(clients, d, { mt, amount: opts.amount });
        const [staked, cooldown] = await Promise.all([getStake(ctx.client, d, { mt, account: me }), getCooldown(ctx.client, d, { mt, account: me })]);
        return {
          json: { ...base, ticker, mt, unstaked: opts.amount, stake: staked, coolingDown: cooldown.amount, withdrawableAt: iso(cooldown.releaseAt), tx: sent.hash },
          text:
            `unstaked ${formatAmount(opts.amount)} ${ticker}: it stopped counting now; ${formatAmount(cooldown.amount)} ${ticker} cooling down, ` +
            `withdrawable from ${iso(cooldown.releaseAt)} (./fomo withdraw ${ticker}); counted stake ${formatAmount(staked)} ${ticker} (tx ${sent.hash})\n`,
        };
      }
      progress(`withdrawing the cooled-down ${ticker} ($MT ${mt}) of ${signer.source} ${me}`);
      const sent = await withdrawStake(clients, d, { mt });
      return {
        json: { ...base, ticker, mt, withdrawn: sent.amount, tx: sent.hash },
        text: `withdrew ${formatAmount(sent.amount)} ${ticker} to ${me} (tx ${sent.hash})\n`,
      };
    }
    case "lock": {
      const before = await getGmBalance(ctx.client, d, { account: me });
      const expected = gmFor(opts.amount, opts.days);
      progress(`locking ${formatAmount(opts.amount)} FLOCK for ${opts.days} days from ${signer.source} ${me}: ${formatAmount(expected)} gmFLOCK expected`);
      const sent = await lockFlock(clients, d, { amount: opts.amount, days: opts.days });
      const after = await getGmBalance(ctx.client, d, { account: me });
      const boost = { before: gmBoost(before), after: gmBoost(after) };
      return {
        json: {
          ...base, lockId: sent.locked.id, locked: opts.amount, days: opts.days, gm: sent.locked.gm, unlockAt: iso(BigInt(sent.locked.unlockAt)),
          gmBalance: after, boost: { before: boostText(boost.before), after: boostText(boost.after) }, tx: sent.hash,
        },
        text:
          `locked ${formatAmount(opts.amount)} FLOCK for ${opts.days} days (lock ${sent.locked.id}, unlocks ${iso(BigInt(sent.locked.unlockAt))}): ` +
          `+${formatAmount(sent.locked.gm)} gmFLOCK, ${formatAmount(after)} gmFLOCK held\n` +
          `rewards boost G: ×${boostText(boost.before)} → ×${boostText(boost.after)} (tx ${sent.hash})\n`,
      };
    }
    case "yield claim": {
      const { mt, ticker } = await resolveOffering(ctx, opts.ticker);
      const owed = await getYieldOwed(ctx.client, d, { mt });
      progress(`claiming the issuer yield of ${ticker} ($MT ${mt}): ${formatUsdc(owed, d.usdcDecimals)} owed, for ${signer.source} ${me}`);
      const sent = await claimYield(clients, d, { mt });
      return {
        json: { ...base, ticker, mt, claimed: sent.amount, usdcDecimals: d.usdcDecimals, tx: sent.hash },
        text: `claimed ${formatUsdc(sent.amount, d.usdcDecimals)} of issuer yield on ${ticker} to ${sent.issuer} (tx ${sent.hash})\n`,
      };
    }
    case "rewards":
    case "rewards claim": {
      const rewards = await rewardsOf(ctx, opts.dataDir, me);
      if (opts.command === "rewards") return rewardsOutput(base, rewards);
      const claims: ClaimOutcome[] = [];
      for (const row of rewards.rows.filter((r) => r.claimable > 0n)) {
        progress(`claiming ${formatAmount(row.claimable, row.decimals)} ${row.symbol} for ${me}`);
        const sent = await claimReward(clients, d, row.claim!);
        claims.push({ token: row.token, symbol: row.symbol, decimals: row.decimals, amount: sent.amount, tx: sent.hash });
      }
      return {
        json: { ...base, epoch: rewards.epoch, claims },
        text: claims.length === 0
          ? `nothing to claim for ${me}${rewards.epoch === null ? ": no rewards root is live yet" : ` under the live root of epoch ${rewards.epoch}`}\n`
          : formatTable([["token", "claimed", "tx"], ...claims.map((c) => [c.symbol, `${formatAmount(c.amount, c.decimals)} ${c.symbol}`, c.tx])]),
      };
    }
  }
}

/** G as a decimal, e.g. "1.3" (SCORE_ONE, 1e18, is 1). */
function boostText(g: bigint): string {
  return formatUnits(g, 18);
}

interface ClaimOutcome {
  token: Address;
  symbol: string;
  decimals: number;
  amount: bigint;
  tx: Hex;
}

interface RewardRow {
  token: Address;
  symbol: string;
  decimals: number;
  /** The live root's cumulative amount for the account. */
  cumulative: bigint;
  /** What claims already paid the account. */
  claimed: bigint;
  claimable: bigint;
  /** The pending root's cumulative amount, when one waits and its input file is here. */
  pending: bigint | null;
  claim: RewardClaim | null;
}

interface Rewards {
  /** The live root's epoch, null before any root went live. */
  epoch: bigint | null;
  pendingEpoch: bigint | null;
  pendingLiveAt: bigint | null;
  rows: RewardRow[];
}

/**
 * An account's rewards per token: the cumulative amounts of the live root (and of the pending one),
 * rebuilt from the epoch's published input file exactly as the keeper and `epoch verify` build them
 * (its allotments computed from the file, rolled onto the previous entries it carries), checked
 * against the hash and root on chain; less what the distributor already paid the account.
 */
async function rewardsOf(ctx: UserContext, dataDir: string, account: Address): Promise<Rewards> {
  const { client, deployments: d } = ctx;
  const [live, pending] = await Promise.all([getDistributorState(client, d), getPendingRoot(client, d)]);
  const liveEntries = live.started ? await entriesOf(dataDir, live.epoch, live.contentHash, live.root, account) : [];
  const pendingEntries = pending ? await tryEntriesOf(dataDir, pending.epoch, pending.contentHash, pending.root, account) : undefined;
  const tokens = new Map<string, Address>();
  for (const e of [...liveEntries, ...(pendingEntries ?? [])]) tokens.set(e.token.toLowerCase(), getAddress(e.token));
  const rows = await Promise.all([...tokens.values()].map(async (token): Promise<RewardRow> => {
    const claim = liveEntries.find((e) => isAddressEqual(e.token, token)) ?? null;
    const [claimed, symbol, decimals] = await Promise.all([
      getClaimed(client, d, { account, token }),
      client.readContract({ address: token, abi: erc20Abi, functionName: "symbol" }),
      client.readContract({ address: token, abi: erc20Abi, functionName: "decimals" }),
    ]);
    const cumulative = claim?.cumulativeAmount ?? 0n;
    const pendingEntry = pendingEntries?.find((e) => isAddressEqual(e.token, token));
    return {
      token, symbol, decimals, cumulative, claimed, claimable: cumulative > claimed ? cumulative - claimed : 0n,
      pending: pendingEntries === undefined ? null : (pendingEntry?.cumulativeAmount ?? 0n), claim,
    };
  }));
  return {
    epoch: live.started ? live.epoch : null,
    pendingEpoch: pending?.epoch ?? null,
    pendingLiveAt: pending?.liveAt ?? null,
    rows: rows.sort((a, b) => a.symbol.localeCompare(b.symbol)),
  };
}

/**
 * The account's claims under the root of `epoch`, from its input file in the data dir (read in pieces:
 * an epoch's file can be larger than a string holds).
 */
async function entriesOf(dataDir: string, epoch: bigint, contentHash: Hex, root: Hex, account: Address): Promise<RewardClaim[]> {
  const path = inputFilePath(dataDir, epoch);
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`the input file of epoch ${epoch} (the root's epoch) is not at ${path} (${code}): give the data dir the keeper publishes to (--data-dir)`);
  }
  let read: { file: EpochInputFile; hash: Hex };
  try {
    read = await readEpochInput(createReadStream(path));
  } catch (error) {
    throw new Error(`${path} cannot be read as an epoch input file: ${(error as Error).message}`);
  }
  if (read.hash !== contentHash) throw new Error(`${path} is not the file epoch ${epoch}'s root was posted with (its hash differs from ${contentHash}): ./fomo epoch verify --epoch ${epoch} says more`);
  const input = read.file;
  if (!input.cumulative) throw new Error(`${path} carries no cumulative state: no root can be built from it`);
  const { entries } = rollCumulative(input.cumulative, computeEpochRewards(input).allotments);
  const tree = buildRewardsTree({ epoch, entries });
  if (tree.root !== root) throw new Error(`${path} rebuilds the root ${tree.root}, but epoch ${epoch}'s root on chain is ${root}: ./fomo epoch verify --epoch ${epoch} says more`);
  return entries.filter((e) => isAddressEqual(e.account, account)).map((e) => tree.claimOf(account, e.token)!);
}

/** entriesOf for the pending root, which may be shown only when its file is here. */
async function tryEntriesOf(dataDir: string, epoch: bigint, contentHash: Hex, root: Hex, account: Address): Promise<RewardClaim[] | undefined> {
  try {
    return await entriesOf(dataDir, epoch, contentHash, root, account);
  } catch {
    return undefined;
  }
}

function rewardsOutput(base: { chainId: number; account: Address }, r: Rewards): Output {
  const json = {
    ...base,
    epoch: r.epoch,
    pending: r.pendingEpoch === null ? null : { epoch: r.pendingEpoch, liveAt: iso(r.pendingLiveAt!) },
    tokens: r.rows.map(({ token, symbol, decimals, cumulative, claimed, claimable, pending, claim }) => ({
      token, symbol, decimals, cumulative, claimed, claimable, pendingCumulative: pending, proof: claim?.proof ?? null,
    })),
  };
  const amount = (wei: bigint, row: RewardRow) => `${formatAmount(wei, row.decimals)} ${row.symbol}`;
  const head = r.epoch === null ? "no rewards root is live yet" : `rewards of ${base.account} under the live root of epoch ${r.epoch}`;
  const pendingLine = r.pendingEpoch === null ? "" : `the root of epoch ${r.pendingEpoch} goes live at ${iso(r.pendingLiveAt!)}\n`;
  const table = r.rows.length === 0
    ? "nothing allotted to this address\n"
    : formatTable([
        ["token", "claimable", "claimed", "cumulative", ...(r.pendingEpoch === null ? [] : ["pending root"])],
        ...r.rows.map((row) => [
          row.symbol, amount(row.claimable, row), amount(row.claimed, row), amount(row.cumulative, row),
          ...(r.pendingEpoch === null ? [] : [row.pending === null ? "(no input file here)" : amount(row.pending, row)]),
        ]),
      ]);
  const hint = r.rows.some((row) => row.claimable > 0n) ? "./fomo rewards claim claims them\n" : "";
  return { json, text: `${head}\n${pendingLine}${table}${hint}` };
}
