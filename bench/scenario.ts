// The gas scenario: one fresh in-process chain, FOMO deployed by `deployLocal` (the same code as
// `./fomo up` and the tests), then every measured operation is a real transaction whose receipt
// `gasUsed` is recorded. Each metric is sampled several times, and the chain is arranged so that
// every sample hits the *common* storage situation, not a first-ever one: the treasury, the
// launchpad and the hosting reserve already hold FLOCK before anything is measured, every buyer
// keeps some FLOCK after buying, and no measured claim or refund empties the launchpad.
//
// Imported by gas.ts only after the contracts are compiled and the SDK's ABIs exported.
import {
  getAddress,
  keccak256,
  maxUint256,
  parseEventLogs,
  toHex,
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hex,
} from "viem";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  FLOCK,
  defaultCatalog,
  launchpadAbi,
  localTokenAbi,
  quoteBuy,
  uniswapV2Router02Abi,
  type CurveState,
} from "@fomo/sdk";
import { deployLocal } from "@fomo/deploy";
import { ENGINE_METRICS, runEngineScenario, type EngineNotes } from "./engine-scenario.ts";
import { TOKEN_METRICS, runTokenScenario } from "./token-scenario.ts";

/** Every figure the bench reports, each a list of samples (receipt gasUsed). */
export const METRICS = [
  "launch",
  "launchWithFirstBuy",
  "buy",
  "buyRepeat",
  "graduate",
  "graduateInBuy",
  "claim",
  "refund",
  "refundEmptyWallet",
  "uniswapV2Swap",
  "uniswapV2SwapRepeat",
  // Token layer and economic engine (engine-scenario.ts).
  ...ENGINE_METRICS,
  // $MT transfers and swaps next to a plain OpenZeppelin ERC-20 (token-scenario.ts).
  ...TOKEN_METRICS,
] as const;
export type Metric = (typeof METRICS)[number];
export type Samples = Record<Metric, bigint[]>;

export interface ChainInfo {
  hardfork: string;
  chainId: number;
}

const HOUR = 3_600n;
const DAY = 86_400n;
/** Template 0 (stories-260k) with the default terms: raiseMin 200k, raiseMax 1M FLOCK. */
const TEMPLATE_ID = 0;
/** A realistic CIDv1 metadata URI: calldata length is part of the launch's cost. */
const METADATA_URI = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
/** Slippage bound the bench passes like a UI would (a realistic, non-zero minOut in calldata). */
const SLIPPAGE_BPS = 100n;
const withSlippage = (out: bigint) => (out * (10_000n - SLIPPAGE_BPS)) / 10_000n;

/** Amounts in FLOCK (whole tokens) of the scenario's buys. */
const AMOUNT = {
  firstBuy: 10_000n * FLOCK,
  supporterBuy: 10_000n * FLOCK,
  /** Whale buy that takes a graduate() candidate to ~500k raised (between raiseMin and raiseMax). */
  toMidRaise: 490_000n * FLOCK,
  claimerBuy: 20_000n * FLOCK,
  /** Whale buy that takes a graduate-in-buy candidate to ~880k raised, short of raiseMax. */
  toNearMax: 850_000n * FLOCK,
  /** Overshoots raiseMax: only what fills the raise is taken and the offering graduates. */
  finisherBuy: 200_000n * FLOCK,
  refundBuy: 5_000n * FLOCK,
  swap: 1_000n * FLOCK,
  /** What funded supporters hold: enough to never empty their wallet by accident. */
  wallet: 1_000_000n * FLOCK,
};

export async function runScenario(
  hre: HardhatRuntimeEnvironment,
  n: number,
  log: (line: string) => void,
): Promise<{ samples: Samples; chain: ChainInfo; engine: EngineNotes }> {
  const conn = await hre.network.create();
  const { viem, networkHelpers } = conn;
  const publicClient = await viem.getPublicClient();
  const [deployer, issuer, whale, keeper, lp, , , treasuryWallet, hostingWallet] = await viem.getWalletClients();
  if (!deployer || !issuer || !whale || !keeper || !lp || !treasuryWallet || !hostingWallet) {
    throw new Error("the Hardhat network needs at least 9 accounts");
  }
  type Wallet = typeof deployer;
  const treasury = treasuryWallet.account.address;
  const hostingReserve = hostingWallet.account.address;

  log("deploying FOMO with deployLocal");
  const d = await deployLocal(publicClient, deployer, { treasury, hostingReserve });
  const { flock, usdc, launchpad, uniswapV2Router: router } = d.contracts;

  const samples = Object.fromEntries(METRICS.map((m) => [m, [] as bigint[]])) as Samples;

  /**
   * Sends a contract call from `from`, waits for it and fails loudly on revert. With a `metric`, the
   * receipt's gasUsed is recorded as one sample of it; set-up transactions pass `undefined`.
   */
  const send = async <
    const A extends Abi,
    F extends ContractFunctionName<A, "nonpayable" | "payable">,
  >(
    metric: Metric | undefined,
    from: Wallet,
    address: Address,
    abi: A,
    functionName: F,
    args: ContractFunctionArgs<A, "nonpayable" | "payable", F>,
  ) => {
    // viem's writeContract generics cannot be forwarded through a helper without a cast.
    const hash: Hex = await (from.writeContract as (p: unknown) => Promise<Hex>)({ address, abi, functionName, args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted (tx ${hash})`);
    if (metric) samples[metric].push(receipt.gasUsed);
    return receipt;
  };

  const now = async () => (await publicClient.getBlock()).timestamp;
  const deadline = async () => (await now()) + HOUR;
  const balanceOf = (token: Address, who: Address) =>
    publicClient.readContract({ address: token, abi: localTokenAbi, functionName: "balanceOf", args: [who] });

  /** Mints `amount` FLOCK to `w` and approves `spender` for all of it (an unlimited approval, as UIs ask). */
  const fund = async (w: Wallet, amount: bigint, spender: Address = launchpad) => {
    await send(undefined, deployer, flock, localTokenAbi, "mint", [w.account.address, amount]);
    await send(undefined, w, flock, localTokenAbi, "approve", [spender, maxUint256]);
  };

  // More supporters than Hardhat's 20 accounts: fresh addresses, impersonated (gas is the same as
  // for a signed transaction), each new to FOMO.
  let freshCount = 0;
  /** A wallet for `address`, impersonated, with ETH for gas and nothing else. */
  const impersonate = async (address: Address): Promise<Wallet> => {
    await networkHelpers.impersonateAccount(address);
    await networkHelpers.setBalance(address, 10n ** 21n);
    return (await viem.getWalletClient(address)) as Wallet;
  };
  const freshAccount = () => impersonate(getAddress(`0x${keccak256(toHex(`fomo-bench-${freshCount++}`)).slice(-40)}`));
  const fresh = async (flockAmount: bigint, spender: Address = launchpad): Promise<Wallet> => {
    const w = await freshAccount();
    await fund(w, flockAmount, spender);
    return w;
  };
  const freshMany = async (count: number, flockAmount: bigint, spender?: Address) => {
    const wallets: Wallet[] = [];
    for (let i = 0; i < count; i++) wallets.push(await fresh(flockAmount, spender));
    return wallets;
  };

  let launches = 0;
  /** Launches an offering as the issuer with realistic strings of constant length; returns its $MT. */
  const launch = async (metric: Metric | undefined, firstBuy: bigint, minMtOut: bigint) => {
    const tag = String(launches++).padStart(4, "0");
    const params = {
      templateId: TEMPLATE_ID,
      name: `Bench Model ${tag}`,
      ticker: `B${tag}`,
      metadataURI: METADATA_URI,
      firstBuy,
      minMtOut,
      deadline: await deadline(),
    };
    const receipt = await send(metric, issuer, launchpad, launchpadAbi, "launch", [params]);
    const [ev] = parseEventLogs({ abi: launchpadAbi, logs: receipt.logs, eventName: "Launched" });
    if (!ev) throw new Error("no Launched event");
    return ev.args.mt;
  };

  /** A buy with a UI-like slippage bound taken from the launchpad's own quote. */
  const buy = async (metric: Metric | undefined, who: Wallet, mt: Address, flockIn: bigint) => {
    const q = await publicClient.readContract({ address: launchpad, abi: launchpadAbi, functionName: "quoteBuy", args: [mt, flockIn] });
    const args = [mt, flockIn, withSlippage(q.mtOut), await deadline()] as const;
    return send(metric, who, launchpad, launchpadAbi, "buy", args);
  };

  const progress = (what: string) => log(`measuring ${what} (${n} samples)`);

  // ------------------------------------------------------------------ launches
  // Launch fees (32,768 FLOCK each) and first buys of up to 2n + 3 launches: more than one wallet's worth at 15 samples.
  await fund(issuer, 2n * AMOUNT.wallet);
  await fund(whale, 100n * AMOUNT.wallet);
  // Warm-up (not measured): afterwards the treasury holds FLOCK from a launch fee and the launchpad
  // holds FLOCK from a buy, as on any live deployment.
  const warm = await launch(undefined, AMOUNT.firstBuy, 0n);

  progress("launch / launchWithFirstBuy");
  const plain: Address[] = [];
  for (let i = 0; i < n; i++) plain.push(await launch("launch", 0n, 0n));
  // The first buy's slippage bound, from the SDK's curve math: the template's curve at raised = 0,
  // base fee only (a first buy pays no anti-snipe fee).
  const view = await publicClient.readContract({ address: launchpad, abi: launchpadAbi, functionName: "offering", args: [warm] });
  const { feeBps } = defaultCatalog[TEMPLATE_ID]!.sale;
  const atOpen: CurveState = { ...view, raised: 0n, feeBps };
  const firstBuyMin = withSlippage(quoteBuy(atOpen, AMOUNT.firstBuy, feeBps).mtOut);
  const withFirstBuy: Address[] = [];
  for (let i = 0; i < n; i++) withFirstBuy.push(await launch("launchWithFirstBuy", AMOUNT.firstBuy, firstBuyMin));
  const failing = await launch(undefined, 0n, 0n);
  const warmGraduation = await launch(undefined, 0n, 0n);

  // Everything below trades at the base fee: the anti-snipe fee (99%, -1 point a minute) is gone.
  await networkHelpers.time.increase(2n * HOUR);

  // ------------------------------------------------------------------ buys, mid-raise
  progress("buy / buyRepeat");
  await buy(undefined, whale, warm, 50_000n * FLOCK);
  const supporters = await freshMany(n, AMOUNT.wallet);
  for (const s of supporters) await buy("buy", s, warm, AMOUNT.supporterBuy);
  for (const s of supporters) await buy("buyRepeat", s, warm, AMOUNT.supporterBuy);

  // ------------------------------------------------------------------ graduation inside a buy
  // Warm-up (not measured): the first graduation ever is the first to pay FLOCK to the hosting
  // reserve and the incentive pool, writing balances that are zero only once in a deployment's life.
  await buy(undefined, whale, warmGraduation, 2n * AMOUNT.wallet);
  progress("graduateInBuy");
  const claimerA = await fresh(AMOUNT.wallet);
  const claimerB = await fresh(AMOUNT.wallet);
  const finishers = await freshMany(n, AMOUNT.wallet);
  for (const [i, mt] of plain.entries()) {
    await buy(undefined, claimerA, mt, AMOUNT.claimerBuy);
    await buy(undefined, claimerB, mt, AMOUNT.claimerBuy);
    await buy(undefined, whale, mt, AMOUNT.toNearMax);
    const receipt = await buy("graduateInBuy", finishers[i]!, mt, AMOUNT.finisherBuy);
    if (parseEventLogs({ abi: launchpadAbi, logs: receipt.logs, eventName: "Graduated" }).length !== 1) {
      throw new Error("the buy reaching raiseMax did not graduate");
    }
  }

  // ------------------------------------------------------------------ claims
  // claimerA holds none of these $MT yet (the common case); claimerB and others still have positions,
  // so the launchpad keeps an $MT balance.
  progress("claim");
  for (const mt of plain) {
    await send("claim", claimerA, launchpad, launchpadAbi, "claim", [mt, claimerA.account.address]);
  }

  // ------------------------------------------------------------------ a raise that will fail, a raise that will succeed
  // The whale's position stays in the failed raise (never refunded here), so no measured refund empties it.
  await buy(undefined, whale, failing, 20_000n * FLOCK);
  const refunders = await freshMany(n, AMOUNT.wallet);
  for (const r of refunders) await buy(undefined, r, failing, AMOUNT.refundBuy);
  const emptied = await freshMany(n, AMOUNT.refundBuy);
  for (const r of emptied) await buy(undefined, r, failing, AMOUNT.refundBuy);
  for (const r of emptied) {
    if ((await balanceOf(flock, r.account.address)) !== 0n) throw new Error("refundEmptyWallet: wallet not empty");
  }
  for (const mt of withFirstBuy) await buy(undefined, whale, mt, AMOUNT.toMidRaise);

  await networkHelpers.time.increase(7n * DAY + HOUR); // every window closed

  // ------------------------------------------------------------------ permissionless graduate()
  progress("graduate");
  for (const mt of withFirstBuy) {
    const state = await publicClient.readContract({ address: launchpad, abi: launchpadAbi, functionName: "stateOf", args: [mt] });
    if (state !== 2) throw new Error(`graduate candidate ${mt} is in state ${state}, not Succeeded`);
    await send("graduate", keeper, launchpad, launchpadAbi, "graduate", [mt]);
  }

  // ------------------------------------------------------------------ refunds
  progress("refund / refundEmptyWallet");
  for (const r of refunders) await send("refund", r, launchpad, launchpadAbi, "refund", [failing, r.account.address]);
  for (const r of emptied) await send("refundEmptyWallet", r, launchpad, launchpadAbi, "refund", [failing, r.account.address]);

  // ------------------------------------------------------------------ peer baseline: Uniswap V2 swap
  // A 1-hop FLOCK -> USDC swap through the deployment's Router02, on a pool seeded with addLiquidity.
  // The first swap of each fresh account makes it a new USDC holder, like `buy` makes a new supporter.
  progress("uniswapV2Swap");
  await fund(lp, 11_000_000n * FLOCK, router); // 10M for the pool, the rest for a warm-up swap
  await send(undefined, deployer, usdc, localTokenAbi, "mint", [lp.account.address, 10_000_000n * 10n ** 6n]);
  await send(undefined, lp, usdc, localTokenAbi, "approve", [router, maxUint256]);
  await send(undefined, lp, router, uniswapV2Router02Abi, "addLiquidity", [
    flock, usdc, 10_000_000n * FLOCK, 10_000_000n * 10n ** 6n, 0n, 0n, lp.account.address, await deadline(),
  ]);
  const swappers = await freshMany(n, AMOUNT.wallet, router);
  const swap = async (metric: Metric | undefined, who: Wallet) => {
    const path = [flock, usdc] as const;
    const amounts = await publicClient.readContract({ address: router, abi: uniswapV2Router02Abi, functionName: "getAmountsOut", args: [AMOUNT.swap, path] });
    const args = [AMOUNT.swap, withSlippage(amounts[1]!), path, who.account.address, await deadline()] as const;
    return send(metric, who, router, uniswapV2Router02Abi, "swapExactTokensForTokens", args);
  };
  // Warm-up (not measured): a pool's first swap also writes its price accumulators from zero.
  await swap(undefined, lp);
  for (const s of swappers) await swap("uniswapV2Swap", s);
  for (const s of swappers) await swap("uniswapV2SwapRepeat", s);

  // ------------------------------------------------------------------ token layer and economic engine
  // On the first graduated $MT, which claimerA holds.
  const engine = await runEngineScenario(
    { publicClient, d, keeper: deployer, send, impersonate, freshAccount, increaseTime: (s) => networkHelpers.time.increase(s), progress, n },
    { mt: plain[0]!, holder: claimerA },
  );

  // ------------------------------------------------------------------ $MT transfers vs a plain ERC-20
  // After the engine, so its TWAP set-up on this $MT's pool is undisturbed.
  await runTokenScenario(
    { publicClient, d, deployer, send, freshAccount, deadline, progress, n },
    { mt: plain[0]!, holder: claimerA },
  );

  const hardfork = conn.networkConfig.type === "edr-simulated" ? conn.networkConfig.hardfork : "?";
  return { samples, chain: { hardfork, chainId: d.chainId }, engine };
}
