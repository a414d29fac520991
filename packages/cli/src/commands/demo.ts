// `fomo up --demo`: offerings in every state on a new local chain, seeded in well under a minute with
// the SDK's own actions, as the dev accounts (DEV_ACCOUNT_ROLES: 1 issues, 2 and up support):
// - graduated: bought past raiseMax at launch, served by the gateway under its model id and called with
//   the stack's API key in rounds one epoch apart on the chain, then every half epoch while the stack
//   runs (demoTraffic);
// - failed: bought short of raiseMin, then its window closed (the chain moved 7 days): its supporters'
//   refunds are pending;
// - raising: launched after that, bought by two supporters, its window open.
//
// The order keeps the graduated offering on the wall clock, which dates API usage (the gateway) and
// epochs (the keeper): it graduates before any time travel, paying the anti-snipe surcharge (its buyer
// mints the FLOCK that takes, LocalToken being a faucet), and its usage follows at once. The other two
// need time to pass on the chain (a raise window is a day at least): the chain moves after, then the
// price oracle is brought up to date, so the keeper's buybacks find a fresh average.
import {
  approveFlock, buy, chainTime, defaultCatalog, FLOCK, getOffering, getState, launch, localTokenAbi, modelIdOf, twapOracleAbi,
  TWAP_WINDOW, uniswapV2FactoryAbi, write, type Clients,
} from "@fomo/sdk";
import type { LocalChain } from "@fomo/deploy";
import { maxUint256, type Address } from "viem";

/** What demo.ts seeded: each offering's $MT by its state. */
export interface DemoOfferings {
  raising: Address;
  graduated: Address;
  failed: Address;
  /** The API model id the graduated offering serves. */
  model: string;
}

export interface DemoOptions {
  chain: LocalChain;
  /** The gateway's OpenAI base URL (…/v1). */
  gatewayUrl: string;
  apiKey: string;
  epochSeconds: number;
  say: (line: string) => void;
}

/** Past the anti-snipe surcharge: 99% at open, a point less each minute (defaultSaleTerms). */
const PAST_SNIPE_WINDOW_SECONDS = 2 * 3_600;
/** Template 0: the local model the gateway serves (defaultCatalog). */
const TEMPLATE = 0;
/** FLOCK that fills a 1M raise at launch, when the surcharge takes up to 99% of a buy. */
const GRADUATING_BUY = 100_000_000n * FLOCK;
/** Rounds of API calls on the graduated model, one epoch apart on the chain. */
const USAGE_ROUNDS = 3;
const CALLS_PER_ROUND = 2;

export async function seedDemo({ chain, gatewayUrl, apiKey, epochSeconds, say }: DemoOptions): Promise<DemoOfferings> {
  const d = chain.deployments;
  const client = chain.publicClient;
  const as = (account: number): Clients => ({ public: client, wallet: chain.wallets[account]! });
  const issuer = as(1);
  const advance = async (seconds: number) => {
    await client.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
    await client.request({ method: "evm_mine" as never, params: [] as never });
  };
  for (const account of [1, 2, 3, 4, 5, 6]) await approveFlock(as(account), d, { amount: maxUint256 });
  const buyAs = (account: number, mt: Address, flock: bigint) => buy(as(account), d, { mt, flockIn: flock });
  const state = async (mt: Address) => (await getState(client, d, { mt })).name;

  // Graduated, on the wall clock.
  const whale = as(6);
  await write(whale, d.contracts.flock, localTokenAbi, "mint", [whale.wallet.account.address, GRADUATING_BUY]);
  const { mt: graduated } = await launch(issuer, d, { templateId: TEMPLATE, name: "Demo Story Model", ticker: "STORY" });
  // Knowingly in the anti-snipe window: any fee is accepted (buy() refuses more than the base fee by default).
  const bought = await buy(whale, d, { mt: graduated, flockIn: GRADUATING_BUY, maxFeeBps: 10_000 });
  if (!bought.graduated) throw new Error("demo: STORY did not graduate");
  const pool = bought.graduated.pair;
  say(`demo: STORY ${await state(graduated)} (bought by supporter 6; pool ${pool}) ${graduated}`);

  // Its usage through the gateway: the first call waits for the indexer to bring the graduation in.
  const model = modelIdOf(defaultCatalog[TEMPLATE]!.baseModelId, "STORY");
  for (let round = 1; round <= USAGE_ROUNDS; round++) {
    for (let call = 0; call < CALLS_PER_ROUND; call++) await chatCompletion(gatewayUrl, apiKey, model);
    say(`demo: ${CALLS_PER_ROUND} calls to ${model} (round ${round} of ${USAGE_ROUNDS})`);
    if (round < USAGE_ROUNDS) await advance(epochSeconds);
  }

  // Failed: 80,000 FLOCK against a raiseMin of 200,000, then its window passes.
  const { mt: failed } = await launch(issuer, d, { templateId: TEMPLATE, name: "Demo Failed Model", ticker: "FLOP" });
  await advance(PAST_SNIPE_WINDOW_SECONDS);
  await buyAs(2, failed, 50_000n * FLOCK);
  await buyAs(3, failed, 30_000n * FLOCK);
  const { closesAt } = await getOffering(client, d, { mt: failed });
  await advance(Number(BigInt(closesAt) - (await chainTime(client))) + 1);
  say(`demo: FLOP ${await state(failed)} (80,000 FLOCK of 200,000 raised: supporters 2 and 3 can refund) ${failed}`);

  // Raising.
  const { mt: raising } = await launch(issuer, d, { templateId: TEMPLATE, name: "Demo Rising Model", ticker: "RISE" });
  await advance(PAST_SNIPE_WINDOW_SECONDS);
  await buyAs(4, raising, 150_000n * FLOCK);
  await buyAs(5, raising, 100_000n * FLOCK);
  say(`demo: RISE ${await state(raising)} (250,000 FLOCK bought by supporters 4 and 5) ${raising}`);

  // The oracle's averages went stale in the days the chain moved: an observation, a window, another.
  const flockUsdc = await client.readContract({
    address: d.contracts.uniswapV2Factory, abi: uniswapV2FactoryAbi, functionName: "getPair", args: [d.contracts.flock, d.contracts.usdc],
  });
  const observe = async () => {
    for (const pair of [pool, flockUsdc]) await write(as(0), d.contracts.twapOracle, twapOracleAbi, "update", [pair]);
  };
  await observe();
  await advance(TWAP_WINDOW + 1);
  await observe();
  return { raising, graduated, failed, model };
}

/**
 * While a demo stack runs, a call on its graduated model every half epoch: each epoch the keeper
 * settles then has real usage to report, buy back and reward (the gateway dates usage by the wall
 * clock, so the seeding's own calls fall in one or two epochs). A failed call is skipped, not fatal.
 */
export function demoTraffic({ gatewayUrl, apiKey, model, epochSeconds }: { gatewayUrl: string; apiKey: string; model: string; epochSeconds: number }): { stop(): Promise<void> } {
  let inFlight: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = chatCompletion(gatewayUrl, apiKey, model, 0).catch(() => {});
  }, (epochSeconds * 1_000) / 2);
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/** One chat completion on `model`; a model not served yet (the indexer catching up) is retried for `retryMs`. */
async function chatCompletion(gatewayUrl: string, apiKey: string, model: string, retryMs = 60_000): Promise<void> {
  const until = Date.now() + retryMs;
  for (;;) {
    const response = await fetch(`${gatewayUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ model, messages: [{ role: "user", content: "Once upon a time" }], max_tokens: 16 }),
    });
    if (response.ok) return;
    const body = await response.text();
    if (response.status !== 404 || Date.now() > until) throw new Error(`demo: the gateway answered ${response.status} for ${model}: ${body}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
