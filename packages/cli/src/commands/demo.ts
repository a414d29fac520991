// `fomo up --demo`: offerings in every state on a new local chain, seeded in well under a minute with
// the SDK's own actions, as the dev accounts (DEV_ACCOUNT_ROLES: 1 issues, 2 and up support):
// - failed: bought short of raiseMin, then its window closed (the chain moved past it): its supporters'
//   refunds are pending;
// - graduated: bought past raiseMax, served by the gateway under its model id and called with the
//   stack's API key in several rounds, the chain moving one epoch between rounds;
// - raising: bought by two supporters, its window still open.
// Buys wait out the anti-snipe surcharge (the chain moves 2 h past the launch), as a sensible buyer does.
import { approveFlock, buy, chainTime, defaultCatalog, FLOCK, getOffering, getState, launch, modelIdOf, type Clients } from "@fomo/sdk";
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
/** Rounds of API calls on the graduated model, one epoch apart on the chain. */
const USAGE_ROUNDS = 3;
const CALLS_PER_ROUND = 2;

export async function seedDemo({ chain, gatewayUrl, apiKey, epochSeconds, say }: DemoOptions): Promise<DemoOfferings> {
  const d = chain.deployments;
  const as = (account: number): Clients => ({ public: chain.publicClient, wallet: chain.wallets[account]! });
  const issuer = as(1);
  const advance = async (seconds: number) => {
    await chain.publicClient.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
    await chain.publicClient.request({ method: "evm_mine" as never, params: [] as never });
  };
  const supporters = [2, 3, 4, 5, 6];
  for (const account of [1, ...supporters]) await approveFlock(as(account), d, { amount: maxUint256 });
  const buyAs = (account: number, mt: Address, flock: bigint) => buy(as(account), d, { mt, flockIn: flock * FLOCK });
  const state = async (mt: Address) => (await getState(chain.publicClient, d, { mt })).name;

  // Failed: 80,000 FLOCK against a raiseMin of 200,000, then the 7-day window passes.
  const { mt: failed } = await launch(issuer, d, { templateId: TEMPLATE, name: "Demo Failed Model", ticker: "FLOP" });
  await advance(PAST_SNIPE_WINDOW_SECONDS);
  await buyAs(2, failed, 50_000n);
  await buyAs(3, failed, 30_000n);
  const { closesAt } = await getOffering(chain.publicClient, d, { mt: failed });
  await advance(Number(BigInt(closesAt) - (await chainTime(chain.publicClient))) + 1);
  say(`demo: FLOP ${await state(failed)} (80,000 FLOCK of 200,000; supporters 2 and 3 can refund) ${failed}`);

  // Graduated and raising, launched together so that one move past the surcharge serves both.
  const { mt: graduated } = await launch(issuer, d, { templateId: TEMPLATE, name: "Demo Story Model", ticker: "STORY" });
  const { mt: raising } = await launch(issuer, d, { templateId: TEMPLATE, name: "Demo Rising Model", ticker: "RISE" });
  await advance(PAST_SNIPE_WINDOW_SECONDS);
  await buyAs(4, raising, 150_000n);
  await buyAs(5, raising, 100_000n);
  say(`demo: RISE ${await state(raising)} (250,000 FLOCK bought by supporters 4 and 5) ${raising}`);
  const bought = await buyAs(6, graduated, 1_100_000n);
  if (!bought.graduated) throw new Error("demo: STORY did not graduate");
  say(`demo: STORY ${await state(graduated)} (pool ${bought.graduated.pair}) ${graduated}`);

  // Usage through the gateway: its first call waits for the indexer to bring the graduation in.
  const model = modelIdOf(defaultCatalog[TEMPLATE]!.baseModelId, "STORY");
  for (let round = 1; round <= USAGE_ROUNDS; round++) {
    for (let call = 0; call < CALLS_PER_ROUND; call++) await chatCompletion(gatewayUrl, apiKey, model);
    say(`demo: ${CALLS_PER_ROUND} calls to ${model} (round ${round} of ${USAGE_ROUNDS})`);
    if (round < USAGE_ROUNDS) await advance(epochSeconds);
  }
  return { raising, graduated, failed, model };
}

/** One chat completion on `model`; a model not served yet (the indexer catching up) is retried for 60 s. */
async function chatCompletion(gatewayUrl: string, apiKey: string, model: string): Promise<void> {
  const until = Date.now() + 60_000;
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
