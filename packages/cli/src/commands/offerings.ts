// `fomo launch | offerings | offering | buy | graduate | refund | claim`: the Launchpad from the
// terminal, on the SDK's actions. An offering is named by its ticker (or its $MT address), read from
// the Launchpad's Launched events, so the commands need nothing but the chain. Writes sign with the
// user's signer (signer.ts); every amount is parsed and printed as integer wei, never a float.
import { createInterface } from "node:readline/promises";
import {
  approveLaunch, buy, chainTime, checkName, FIRST_BUY_VESTING, claim, describeError, DEFAULT_SLIPPAGE_BPS, ensureAllowance, feeFallsAt, flockOf,
  formatFlock, formatMt, getClaimableMt, getLaunchFee, getOffering, getPosition, getTemplate, graduate, isValidTicker, launch,
  listOfferings, quoteBuyOnChain, refund, withSlippage, type BuyQuote, type Clients, type LaunchedOffering, type Offering,
} from "@fomo/sdk";
import { erc20Abi, getAddress, isAddress, type Address } from "viem";
import { parseTokenAmount } from "../amounts.ts";
import {
  CHAIN_FLAGS, chainDefaults, chainOptions, parseCount, parseFlags, UsageError, withoutSwitch, type ChainOptions,
} from "../args.ts";
import { SIGNER_FLAGS, signerDefaults, signerOptions, userSigner, type Signer, type SignerOptions } from "../signer.ts";
import { formatTable, jsonDocument, openChainContext, walletClientFor, type ChainContext } from "./chain.ts";

const STATE_FILTERS = ["raising", "succeeded", "graduated", "failed"] as const;
type StateFilter = (typeof STATE_FILTERS)[number];

/** Each command's usage line (main.ts's help lists the same). */
export const OFFERING_USAGE = {
  launch: `launch --template ID --name NAME --ticker TICKER [--first-buy FLOCK] [--metadata URI] [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`,
  offerings: `offerings [--state ${STATE_FILTERS.join("|")}] [--json] ${CHAIN_FLAGS}`,
  offering: `offering TICKER [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`,
  buy: `buy TICKER --flock AMOUNT [--max-slippage BPS] [--yes] [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`,
  graduate: `graduate TICKER [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`,
  refund: `refund TICKER [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`,
  claim: `claim TICKER [--json] ${SIGNER_FLAGS} ${CHAIN_FLAGS}`,
} as const;
export type OfferingCommandName = keyof typeof OFFERING_USAGE;

export type OfferingCommand =
  | { command: "launch"; templateId: number; name: string; ticker: string; firstBuy: bigint; metadataURI: string }
  | { command: "offerings"; state?: StateFilter }
  | { command: "offering"; ticker: string }
  | { command: "buy"; ticker: string; flockIn: bigint; maxSlippageBps: number; yes: boolean }
  | { command: "graduate" | "refund" | "claim"; ticker: string };

export type OfferingOptions = OfferingCommand & ChainOptions & SignerOptions & { json: boolean };

/** Parses `fomo <command> …` for the Launchpad's commands (a UsageError, exit 2, names the usage). */
export function parseOfferingArgs(command: OfferingCommandName, args: string[]): OfferingOptions {
  const usage = OFFERING_USAGE[command];
  const [json, rest] = withoutSwitch(args, "--json");
  const [yes, flags] = command === "buy" ? withoutSwitch(rest, "--yes") : [false, rest];
  let ticker = "";
  if (command !== "launch" && command !== "offerings") {
    ticker = flags.shift() ?? "";
    if (!ticker || ticker.startsWith("--")) throw new UsageError(`fomo ${command}: name the offering by its TICKER (usage: fomo ${usage})`);
  }
  const defaults: Record<string, string> = { ...chainDefaults() };
  if (command !== "offerings") Object.assign(defaults, signerDefaults());
  if (command === "launch") Object.assign(defaults, { template: "", name: "", ticker: "", "first-buy": "0", metadata: "" });
  if (command === "offerings") defaults.state = "";
  if (command === "buy") Object.assign(defaults, { flock: "", "max-slippage": String(DEFAULT_SLIPPAGE_BPS) });
  return parseFlags(flags, usage, defaults, (v) => {
    const common = {
      ...chainOptions(v),
      ...signerOptions(v),
      json,
    };
    const required = (flag: string) => {
      if (!v[flag]) throw new Error(`fomo ${command}: --${flag} is required (usage: fomo ${usage})`);
      return v[flag]!;
    };
    switch (command) {
      case "launch": {
        const name = required("name");
        const launchTicker = required("ticker");
        try {
          checkName(name);
        } catch (error) {
          throw new Error(`--name: ${describeError(error)}`);
        }
        if (!isValidTicker(launchTicker)) throw new Error(`--ticker: ${JSON.stringify(launchTicker)} is not 1-10 characters of A-Z and 0-9`);
        return {
          command, ...common, name, ticker: launchTicker, metadataURI: v.metadata!,
          templateId: parseCount(required("template"), "--template", 0, 2 ** 32 - 1),
          firstBuy: parseTokenAmount(v["first-buy"]!, "--first-buy", "FLOCK", { zeroAllowed: true }),
        };
      }
      case "offerings": {
        const state = v.state!.toLowerCase();
        if (state && !(STATE_FILTERS as readonly string[]).includes(state)) throw new Error(`--state: one of ${STATE_FILTERS.join(", ")}, not ${v.state}`);
        return { command, ...common, ...(state ? { state: state as StateFilter } : {}) };
      }
      case "buy":
        return {
          command, ...common, ticker, yes,
          flockIn: parseTokenAmount(required("flock"), "--flock", "FLOCK"),
          maxSlippageBps: parseCount(v["max-slippage"]!, "--max-slippage", 0, 10_000),
        };
      default:
        return { command, ...common, ticker };
    }
  });
}

export async function offeringCommand(opts: OfferingOptions): Promise<number> {
  const ctx = await openChainContext(opts);
  try {
    const chainId = await ctx.client.getChainId();
    if (chainId !== ctx.deployments.chainId) {
      throw new Error(`${opts.rpcUrl} is chain ${chainId}, but the deployments file is for chain ${ctx.deployments.chainId}`);
    }
    switch (opts.command) {
      case "launch":
        return await launchCommand(ctx, opts);
      case "offerings":
        return await offeringsCommand(ctx, opts);
      case "offering":
        return await offeringDetail(ctx, opts);
      case "buy":
        return await buyCommand(ctx, opts);
      default:
        return await settleCommand(ctx, opts);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // A contract's refusal as a sentence (describeError), never hex.
    const message = describeError(error, { usdcDecimals: ctx.deployments.usdcDecimals });
    throw new Error(`fomo ${opts.command}: ${message}`);
  } finally {
    await ctx.db.destroy();
  }
}

// ------------------------------------------------------------------ finding an offering

/**
 * The offering a TICKER (any case) or $MT address names, from the Launchpad's Launched events.
 * An unknown ticker lists the close ones; a ticker launched twice (a failed raise frees its model
 * id) asks for the $MT address.
 */
export async function resolveOffering(ctx: ChainContext, name: string): Promise<LaunchedOffering> {
  const all = await listOfferings(ctx.client, ctx.deployments);
  if (isAddress(name)) {
    const found = all.find((o) => o.mt === getAddress(name));
    if (!found) throw new Error(`no offering of this Launchpad has the $MT address ${name}`);
    return found;
  }
  const wanted = name.replace(/^\$/, "").toUpperCase();
  const matches = all.filter((o) => o.ticker.toUpperCase() === wanted);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const states = await Promise.all(matches.map(async (o) => (await getOffering(ctx.client, ctx.deployments, { mt: o.mt })).stateName));
    const listed = matches.map((o, i) => `${o.mt} (${o.name}, ${states[i]})`).join(", ");
    throw new UsageError(`the ticker ${wanted} was launched ${matches.length} times: name the offering by its $MT address: ${listed}`);
  }
  const close = [...new Set(all.map((o) => o.ticker))].filter((t) => isClose(t.toUpperCase(), wanted));
  const hint = close.length > 0 ? `: did you mean ${close.join(", ")}?` : all.length > 0 ? ": `fomo offerings` lists them" : ": none was launched yet";
  throw new Error(`no offering has the ticker ${wanted}${hint}`);
}

/** A ticker one typo away (Levenshtein distance ≤ 2), or one starting with the other. */
function isClose(a: string, b: string): boolean {
  if (a.startsWith(b) || b.startsWith(a)) return true;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]! <= 2;
}

// ------------------------------------------------------------------ reads

/** What `offerings` and `offering` show of one offering, at the chain time the next transaction would see. */
interface OfferingSummary {
  mt: Address;
  ticker: string;
  name: string;
  modelId: string;
  templateId: number;
  metadataURI: string;
  creator: Address;
  state: string;
  raised: bigint;
  raiseMin: bigint;
  raiseMax: bigint;
  /** raised / raiseMax in basis points, rounded down. */
  progressBps: bigint;
  /** FLOCK wei per whole $MT on the curve now. */
  price: bigint;
  feeBpsNow: bigint;
  baseFeeBps: number;
  /** When buys pay the base fee only (chain time). */
  baseFeeAt: string;
  opensAt: string;
  /** The effective close: the planned one plus the time the Launchpad was paused during the raise. */
  closesAt: string;
  /** Seconds until the raise closes; 0 once closed. */
  secondsLeft: bigint;
  graduatedAt: string | null;
  /** The chain time the summary is for: the next block's. */
  chainTime: string;
}

async function summarize(ctx: ChainContext, launched: LaunchedOffering, now: bigint): Promise<{ summary: OfferingSummary; offering: Offering }> {
  const offering = await getOffering(ctx.client, ctx.deployments, { mt: launched.mt, blockTag: "pending" });
  const summary: OfferingSummary = {
    mt: launched.mt,
    ticker: launched.ticker,
    name: launched.name,
    modelId: launched.modelId,
    templateId: launched.templateId,
    metadataURI: launched.metadataURI,
    creator: launched.creator,
    state: offering.stateName,
    raised: offering.raised,
    raiseMin: offering.raiseMin,
    raiseMax: offering.raiseMax,
    progressBps: offering.raiseMax === 0n ? 0n : (offering.raised * 10_000n) / offering.raiseMax,
    price: offering.price,
    feeBpsNow: offering.feeBpsNow,
    baseFeeBps: offering.feeBps,
    baseFeeAt: iso(feeFallsAt(offering, offering.feeBps)),
    opensAt: iso(offering.opensAt),
    closesAt: iso(offering.closesAt),
    secondsLeft: offering.stateName === "Raising" && BigInt(offering.closesAt) > now ? BigInt(offering.closesAt) - now : 0n,
    graduatedAt: offering.graduatedAt === 0 ? null : iso(offering.graduatedAt),
    chainTime: iso(now),
  };
  return { summary, offering };
}

async function offeringsCommand(ctx: ChainContext, opts: OfferingOptions & { command: "offerings" }): Promise<number> {
  const [launched, now] = await Promise.all([listOfferings(ctx.client, ctx.deployments), chainTime(ctx.client)]);
  const all = await Promise.all(launched.map(async (l) => (await summarize(ctx, l, now)).summary));
  const shown = opts.state ? all.filter((o) => o.state.toLowerCase() === opts.state) : all;
  if (opts.json) {
    process.stdout.write(jsonDocument({ chainId: ctx.deployments.chainId, chainTime: iso(now), offerings: shown }));
    return 0;
  }
  if (shown.length === 0) {
    process.stdout.write(opts.state ? `no ${opts.state} offering\n` : `no offering yet (launch one: fomo ${OFFERING_USAGE.launch.split(" [--json]")[0]})\n`);
    return 0;
  }
  const rows = [["ticker", "name", "state", "raised", "progress", "price (FLOCK/$MT)", "fee now", "closes", "$MT"]];
  for (const o of shown) {
    rows.push([
      o.ticker, o.name, o.state, formatFlock(o.raised), percent(o.progressBps), trimAmount(o.price), percent(o.feeBpsNow),
      o.state === "Raising" ? `${o.closesAt} (${duration(o.secondsLeft)} left)` : o.closesAt, o.mt,
    ]);
  }
  process.stdout.write(formatTable(rows));
  return 0;
}

async function offeringDetail(ctx: ChainContext, opts: OfferingOptions & { command: "offering" }): Promise<number> {
  const launched = await resolveOffering(ctx, opts.ticker);
  const now = await chainTime(ctx.client);
  const { summary: o, offering } = await summarize(ctx, launched, now);
  // The position is the signer's: without one (no key on a remote chain) the offering is still shown.
  let signer: Signer | undefined;
  try {
    signer = await userSigner(opts, ctx.env, ctx.deployments.chainId);
  } catch (error) {
    if (!(error instanceof UsageError) || opts.from !== undefined || opts.keystore) throw error;
  }
  const position = signer ? await positionOf(ctx, o.mt, signer.account.address, offering) : undefined;
  if (opts.json) {
    process.stdout.write(jsonDocument({ chainId: ctx.deployments.chainId, ...o, position: position ?? null }));
    return 0;
  }
  const lines: Array<[string, string]> = [
    ["$MT", o.mt],
    ["model id", `${o.modelId} (template ${o.templateId})`],
    ["creator", o.creator],
    ["state", stateLine(o)],
    ["raised", `${formatFlock(o.raised)} of ${formatFlock(o.raiseMax)} (${percent(o.progressBps)}); minimum ${formatFlock(o.raiseMin)} (${o.raised >= o.raiseMin ? "reached" : `${formatFlock(o.raiseMin - o.raised)} to go`})`],
    ["price", `${trimAmount(o.price)} FLOCK per $MT`],
  ];
  if (o.state === "Raising") lines.push(["fee now", feeLine(o.feeBpsNow, o.baseFeeBps, o.baseFeeAt)]);
  if (o.metadataURI) lines.push(["metadata", o.metadataURI]);
  if (position && signer) lines.push(["you", `${position.account} (${signer.source}): ${positionLine(position, o.state)}`]);
  process.stdout.write(`$${o.ticker}  ${o.name}\n${formatTable(lines.map(([k, v]) => [`  ${k}`, v]))}`);
  return 0;
}

interface PositionView {
  account: Address;
  /** $MT bought and not yet claimed (the issuer's first buy included). */
  mt: bigint;
  /** FLOCK that entered the curve for it: what a failed raise refunds. */
  flock: bigint;
  firstBuyMt: bigint;
  claimable: bigint;
  /** Of the first buy, still vesting. */
  locked: bigint;
  refundable: bigint;
  flockBalance: bigint;
}

async function positionOf(ctx: ChainContext, mt: Address, account: Address, offering: Offering): Promise<PositionView> {
  const flock = await flockOf(ctx.client, ctx.deployments);
  const [position, { claimable, locked }, flockBalance] = await Promise.all([
    getPosition(ctx.client, ctx.deployments, { mt, account }),
    getClaimableMt(ctx.client, ctx.deployments, { mt, account }),
    ctx.client.readContract({ address: flock, abi: erc20Abi, functionName: "balanceOf", args: [account] }),
  ]);
  return {
    account, mt: position.mt, flock: position.flock, firstBuyMt: position.firstBuyMt, claimable, locked, flockBalance,
    refundable: offering.stateName === "Failed" ? position.flock : 0n,
  };
}

function positionLine(p: PositionView, state: string): string {
  const wallet = `${formatFlock(p.flockBalance)} in the wallet`;
  if (p.mt === 0n && p.flock === 0n) return `no position; ${wallet}`;
  const bought = `${formatMt(p.mt)} for ${formatFlock(p.flock)}`;
  if (state === "Failed") return `${bought}: refund ${formatFlock(p.refundable)} with fomo refund; ${wallet}`;
  if (state === "Graduated") return `${bought} unclaimed: ${formatMt(p.claimable)} claimable now, ${formatMt(p.locked)} still vesting; ${wallet}`;
  return `${bought}${p.firstBuyMt > 0n ? ` (first buy ${formatMt(p.firstBuyMt)}, vesting from graduation)` : ""}, claimable after graduation; ${wallet}`;
}

function stateLine(o: OfferingSummary): string {
  switch (o.state) {
    case "Raising":
      return `Raising: closes ${o.closesAt} (${duration(o.secondsLeft)} left)`;
    case "Succeeded":
      return `Succeeded: closed ${o.closesAt} above its minimum; anyone may graduate it (fomo graduate ${o.ticker})`;
    case "Failed":
      return `Failed: closed ${o.closesAt} below its minimum; supporters refund (fomo refund ${o.ticker})`;
    case "Graduated":
      return `Graduated at ${o.graduatedAt}; buyers claim their $MT (fomo claim ${o.ticker})`;
    default:
      return o.state;
  }
}

function feeLine(feeBps: bigint, baseFeeBps: number, baseFeeAt: string): string {
  const surcharge = feeBps - BigInt(baseFeeBps);
  if (surcharge <= 0n) return `${percent(feeBps)} (the base fee)`;
  return `${percent(feeBps)} (${percent(BigInt(baseFeeBps))} base fee + ${percent(surcharge)} anti-snipe surcharge, gone at ${baseFeeAt})`;
}

// ------------------------------------------------------------------ writes

async function signerClients(ctx: ChainContext, opts: OfferingOptions): Promise<{ clients: Clients; signer: Signer }> {
  const signer = await userSigner(opts, ctx.env, ctx.deployments.chainId);
  return { clients: { public: ctx.client, wallet: walletClientFor(ctx.client, opts.rpcUrl, ctx.deployments.chainId, signer.account) }, signer };
}

const progress = (line: string) => process.stderr.write(`[fomo] ${line}\n`);

async function flockBalanceOf(ctx: ChainContext, account: Address): Promise<bigint> {
  const flock = await flockOf(ctx.client, ctx.deployments);
  return ctx.client.readContract({ address: flock, abi: erc20Abi, functionName: "balanceOf", args: [account] });
}

async function launchCommand(ctx: ChainContext, opts: OfferingOptions & { command: "launch" }): Promise<number> {
  const { clients, signer } = await signerClients(ctx, opts);
  const me = signer.account.address;
  const [template, launchFee, balance] = await Promise.all([
    getTemplate(ctx.client, ctx.deployments, { templateId: opts.templateId }),
    getLaunchFee(ctx.client, ctx.deployments),
    flockBalanceOf(ctx, me),
  ]);
  if (!template.enabled) throw new Error(`template ${opts.templateId} (${template.baseModelId}) is disabled for new launches`);
  const needed = launchFee + opts.firstBuy;
  if (balance < needed) {
    throw new Error(`${signer.source} ${me} holds ${formatFlock(balance)}, but the launch needs ${formatFlock(needed)} (launch fee ${formatFlock(launchFee)} + first buy ${formatFlock(opts.firstBuy)})`);
  }
  progress(`launching $${opts.ticker} on template ${opts.templateId} (${template.baseModelId}) as ${signer.source} ${me}`);
  const approval = await approveLaunch(clients, ctx.deployments, { firstBuy: opts.firstBuy });
  if (approval.sent) progress(`approved ${formatFlock(approval.amount)} for the Launchpad (tx ${approval.sent.hash})`);
  const l = await launch(clients, ctx.deployments, {
    templateId: opts.templateId, name: opts.name, ticker: opts.ticker, metadataURI: opts.metadataURI, firstBuy: opts.firstBuy,
  });
  const firstBuy = l.firstBuy ? { flockIn: l.firstBuy.flockIn, net: l.firstBuy.net, mtOut: l.firstBuy.mtOut, baseFee: l.firstBuy.baseFee } : null;
  if (opts.json) {
    process.stdout.write(jsonDocument({
      chainId: ctx.deployments.chainId, mt: l.mt, ticker: l.launched.ticker, name: l.launched.name, modelId: l.launched.modelId,
      templateId: l.launched.templateId, creator: l.launched.creator, opensAt: iso(l.launched.opensAt), closesAt: iso(l.launched.closesAt),
      launchFee, firstBuy, approvalTx: approval.sent?.hash ?? null, tx: l.hash,
    }));
    return 0;
  }
  const lines = [
    `launched $${l.launched.ticker} (${l.launched.name}) in tx ${l.hash}`,
    `  $MT        ${l.mt}`,
    `  model id   ${l.launched.modelId} (served once it graduates)`,
    `  raise      open until ${iso(l.launched.closesAt)} (${duration(BigInt(l.launched.closesAt - l.launched.opensAt))})`,
    `  paid       ${formatFlock(launchFee)} launch fee`,
  ];
  if (firstBuy) lines.push(`  first buy  ${formatFlock(firstBuy.flockIn)} → ${formatMt(firstBuy.mtOut)}, vesting over ${duration(FIRST_BUY_VESTING)} from graduation`);
  lines.push(`next: fomo offering ${l.launched.ticker}; supporters: fomo buy ${l.launched.ticker} --flock AMOUNT`);
  process.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}

async function buyCommand(ctx: ChainContext, opts: OfferingOptions & { command: "buy" }): Promise<number> {
  const launched = await resolveOffering(ctx, opts.ticker);
  const { clients, signer } = await signerClients(ctx, opts);
  const me = signer.account.address;
  const mt = launched.mt;
  const [offering, quote, balance] = await Promise.all([
    getOffering(ctx.client, ctx.deployments, { mt, blockTag: "pending" }),
    quoteBuyOnChain(ctx.client, ctx.deployments, { mt, flockIn: opts.flockIn, blockTag: "pending" }),
    flockBalanceOf(ctx, me),
  ]);
  const minMtOut = withSlippage(quote.mtOut, opts.maxSlippageBps);
  const baseFeeAt = feeFallsAt(offering, offering.feeBps);
  // The quote goes where the user reads it: stdout, unless stdout carries the JSON document.
  const say = (text: string) => (opts.json ? process.stderr : process.stdout).write(text);
  say(quoteText(launched, quote, minMtOut, opts.maxSlippageBps, offering.feeBps, baseFeeAt, `${signer.source} ${me}`));
  if (balance < quote.flockIn) throw new Error(`${me} holds ${formatFlock(balance)}, but this buy takes ${formatFlock(quote.flockIn)}`);
  if (!opts.yes) {
    if (!process.stdin.isTTY) throw new UsageError("fomo buy: no terminal to confirm the quote on: pass --yes to send the buy as quoted");
    if (!(await confirm("send this buy? [y/N] "))) {
      say("not sent\n");
      return 1;
    }
  }
  const approval = await ensureAllowance(clients, { token: await flockOf(ctx.client, ctx.deployments), spender: ctx.deployments.contracts.launchpad, amount: quote.flockIn });
  if (approval) progress(`approved ${formatFlock(quote.flockIn)} for the Launchpad (tx ${approval.hash})`);
  // The fee and the $MT the user saw are the bounds: the fee only falls after the quote, and a price
  // moved by others' buys beyond the slippage is refused.
  const b = await buy(clients, ctx.deployments, { mt, flockIn: opts.flockIn, minMtOut, maxFeeBps: Number(quote.feeBps) });
  const bought = { flockIn: b.bought.flockIn, net: b.bought.net, mtOut: b.bought.mtOut, baseFee: b.bought.baseFee, surcharge: b.bought.surcharge, raisedAfter: b.bought.raisedAfter };
  if (opts.json) {
    process.stdout.write(jsonDocument({
      chainId: ctx.deployments.chainId, mt, ticker: launched.ticker, account: me, quote, minMtOut, maxFeeBps: b.maxFeeBps,
      approvalTx: approval?.hash ?? null, tx: b.hash, bought, graduated: b.graduated ? { pair: b.graduated.pair } : null,
    }));
    return 0;
  }
  say(`bought ${formatMt(bought.mtOut)} for ${formatFlock(bought.flockIn)} (fee ${formatFlock(bought.baseFee)}, surcharge ${formatFlock(bought.surcharge)}) in tx ${b.hash}\n`);
  if (b.graduated) say(`this buy filled the raise: $${launched.ticker} graduated, its pool is ${b.graduated.pair}; claim your $MT: fomo claim ${launched.ticker}\n`);
  else say(`your $MT is claimable once $${launched.ticker} graduates (fomo offering ${launched.ticker})\n`);
  return 0;
}

function quoteText(
  launched: LaunchedOffering, q: BuyQuote, minMtOut: bigint, slippageBps: number, baseFeeBps: number, baseFeeAt: bigint, who: string,
): string {
  const rows = [
    ["  fee", `${formatFlock(q.baseFee)} (${percent(BigInt(baseFeeBps))} base fee)`],
    ["  surcharge", q.surcharge > 0n
      ? `${formatFlock(q.surcharge)} (anti-snipe: the fee is ${percent(q.feeBps)} now and falls to the base fee at ${iso(baseFeeAt)})`
      : "none"],
    ["  into curve", formatFlock(q.net)],
    ["  you get", `${formatMt(q.mtOut)} (at least ${formatMt(minMtOut)} with ${percent(BigInt(slippageBps))} slippage)`],
    ["  price after", `${trimAmount(q.priceAfter)} FLOCK per $MT`],
  ];
  if (q.flockRefunded > 0n) rows.push(["  returned", `${formatFlock(q.flockRefunded)}: the buy fills the raise and graduates it`]);
  return `buy $${launched.ticker} with ${formatFlock(q.flockIn)} as ${who}:\n${formatTable(rows)}`;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** `graduate`, `refund`, `claim`: one transaction on a closed offering, anyone's to send. */
async function settleCommand(ctx: ChainContext, opts: OfferingOptions & { command: "graduate" | "refund" | "claim" }): Promise<number> {
  const launched = await resolveOffering(ctx, opts.ticker);
  const { clients, signer } = await signerClients(ctx, opts);
  const mt = launched.mt;
  const me = signer.account.address;
  const head = { chainId: ctx.deployments.chainId, mt, ticker: launched.ticker };
  let document: Record<string, unknown>;
  let line: string;
  if (opts.command === "graduate") {
    const g = await graduate(clients, ctx.deployments, { mt });
    document = { ...head, tx: g.hash, pair: g.graduated.pair, result: g.graduated.result };
    line = `graduated $${launched.ticker} in tx ${g.hash}: its $MT/FLOCK pool is ${g.graduated.pair}; buyers claim with fomo claim ${launched.ticker}`;
  } else if (opts.command === "refund") {
    const r = await refund(clients, ctx.deployments, { mt });
    document = { ...head, account: me, tx: r.hash, refunded: r.amount };
    line = `refunded ${formatFlock(r.amount)} to ${me} from $${launched.ticker} in tx ${r.hash}`;
  } else {
    const c = await claim(clients, ctx.deployments, { mt });
    const { locked } = await getClaimableMt(ctx.client, ctx.deployments, { mt, account: me });
    document = { ...head, account: me, tx: c.hash, claimed: c.amount, stillVesting: locked };
    line = `claimed ${formatMt(c.amount)} of $${launched.ticker} to ${me} in tx ${c.hash}${locked > 0n ? `; ${formatMt(locked)} of the first buy still vesting` : ""}`;
  }
  process.stdout.write(opts.json ? jsonDocument(document) : `${line}\n`);
  return 0;
}

// ------------------------------------------------------------------ formatting

/** Basis points as a percentage with two decimals. */
const percent = (bps: bigint) => `${bps / 100n}.${(bps % 100n).toString().padStart(2, "0")}%`;

/** A wei amount with up to 6 significant fraction digits, for prices (exact integer arithmetic). */
function trimAmount(wei: bigint): string {
  const whole = wei / 10n ** 18n;
  const fraction = (wei % 10n ** 18n).toString().padStart(18, "0");
  const significant = whole > 0n ? 6 : fraction.search(/[1-9]/) + 6;
  const digits = fraction.slice(0, Math.max(0, significant)).replace(/0+$/, "");
  return `${whole.toLocaleString("en-US")}${digits ? `.${digits}` : ""}`;
}

const iso = (unix: bigint | number) => new Date(Number(unix) * 1000).toISOString().replace(".000Z", "Z");

/** Seconds as "6d 23h 59m" (seconds shown under a minute). */
export function duration(seconds: bigint): string {
  const s = Number(seconds);
  if (s < 60) return `${s}s`;
  const parts = [[Math.floor(s / 86_400), "d"], [Math.floor((s % 86_400) / 3_600), "h"], [Math.floor((s % 3_600) / 60), "m"]] as const;
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join(" ");
}
