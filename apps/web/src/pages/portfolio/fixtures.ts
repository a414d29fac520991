// Portfolio answers shaped as GET /api/v1/portfolios/{address} sends them (portfolioResponse in
// packages/platform/src/responses.ts, checked against the demo stack's live answer): decimal-string
// amounts, checksummed addresses, 32-byte hashes. For the component tests only.
import { FLOCK, MT } from "@fomo/sdk";
import type { NetworkView, OfferingDetail, OfferingsPage } from "../../lib/wire.ts";
import type { PortfolioView } from "./wire.ts";

const addr = (n: number) => `0x${n.toString(16).padStart(40, "0")}` as `0x${string}`;
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as `0x${string}`;

export const ACCOUNTS = {
  deployer: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  issuer: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  supporter: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
} as const;

export const TOKENS = {
  flock: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  usdc: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  story: "0xa16E02E87b7454126E5E10d957A927A7F5B5d2be",
  flop: "0xB7A5bd0345EF1Cc5E66bf61BdeC17D2461fBd968",
  rise: "0xeEBe00Ac0756308ac4AaBfD76c05c4F3088B8883",
} as const;

const CONTRACT_KEYS = [
  "weth", "uniswapV2Factory", "uniswapV2Router", "templateRegistry", "launchpad", "incentivePool", "modelTokenFactory",
  "operatorVestingImplementation", "mtStaking", "twapOracle", "buybackExecutor", "revenueRouter", "creditDeposits",
  "emissionSchedule", "rewardsDistributor", "gmFlock",
] as const;

export const NETWORK: NetworkView = {
  chain_id: 31337,
  // Nothing answers here: a test that reached the chain instead of its recorded calls fails loudly.
  rpc_url: "http://127.0.0.1:9/",
  gateway_url: "http://127.0.0.1:8787/v1",
  siwe_domain: "127.0.0.1:8788",
  epoch_seconds: 60,
  local: true,
  dev_accounts: [ACCOUNTS.deployer, ACCOUNTS.issuer, ACCOUNTS.supporter],
  deployments: {
    chainId: 31337,
    startBlock: "1",
    usdcDecimals: 6,
    contracts: {
      flock: TOKENS.flock,
      usdc: TOKENS.usdc,
      ...(Object.fromEntries(CONTRACT_KEYS.map((k, i) => [k, addr(0x1000 + i)])) as Record<(typeof CONTRACT_KEYS)[number], `0x${string}`>),
    },
    roles: { admin: ACCOUNTS.deployer, treasury: addr(0x2001), hostingReserve: addr(0x2002), keeper: addr(0x2003), emissionReserve: addr(0x2004) },
  },
};

/** Chain time of the answers (the read model's latest block). */
export const AS_OF = 1_765_000_000n;
export const ROOT = hash(0xabc123);

const event = (n: number) => ({ block_number: String(100 + n), log_index: n % 3, tx_hash: hash(0xdead00 + n), timestamp: String(AS_OF - BigInt(1_000 * (10 - n))) });

/** Supporter 2 of the demo: a graduated position to claim, a failed one to refund, a raising one, stakes, rewards. */
export function supporterPortfolio(): PortfolioView {
  return {
    address: ACCOUNTS.supporter,
    positions: [
      {
        mt: TOKENS.story, ticker: "STORY", state: "graduated", mt_owed: String(1_500n * MT), claimable_mt: String(1_500n * MT),
        first_buy_mt: "0", vesting_locked_mt: "0", flock_committed: String(20_000n * FLOCK), refundable_flock: "0",
      },
      {
        mt: TOKENS.flop, ticker: "FLOP", state: "failed", mt_owed: String(48_000n * MT), claimable_mt: "0",
        first_buy_mt: "0", vesting_locked_mt: "0", flock_committed: String(49_500n * FLOCK), refundable_flock: String(49_500n * FLOCK),
      },
      {
        mt: TOKENS.rise, ticker: "RISE", state: "raising", mt_owed: String(900n * MT), claimable_mt: "0",
        first_buy_mt: "0", vesting_locked_mt: "0", flock_committed: String(10_000n * FLOCK), refundable_flock: "0",
      },
    ],
    refunds: [{ mt: TOKENS.flop, ticker: "FLOP", flock: String(500n * FLOCK), ...event(1) }],
    claims: [{ mt: TOKENS.story, ticker: "STORY", mt_amount: String(250n * MT), ...event(2) }],
    stakes: [
      // Cooling for another hour: Withdraw waits.
      { mt: TOKENS.story, ticker: "STORY", staked: String(12_000n * MT), discount_bps: 1_000, cooling: String(500n * MT), release_at: String(AS_OF + 3_600n), withdrawable: false },
      // Released: Withdraw is offered.
      { mt: TOKENS.rise, ticker: "RISE", staked: "0", discount_bps: 0, cooling: String(40n * MT), release_at: String(AS_OF - 60n), withdrawable: true },
    ],
    rewards: {
      epoch: "7",
      root: ROOT,
      claims: [
        { token: TOKENS.flock, cumulative_amount: String(30n * FLOCK + FLOCK / 2n), claimed: String(18n * FLOCK), claimable: String(12n * FLOCK + FLOCK / 2n), proof: [hash(1), hash(2), hash(3)] },
        { token: TOKENS.story, cumulative_amount: String(3n * MT), claimed: "0", claimable: String(3n * MT), proof: [hash(4), hash(5)] },
        // Fully claimed already: nothing to send for it.
        { token: TOKENS.rise, cumulative_amount: String(7n * MT), claimed: String(7n * MT), claimable: "0", proof: [hash(6)] },
      ],
    },
    pending_rewards: null,
    reward_claims: [{ token: TOKENS.flock, amount: String(18n * FLOCK), cumulative: String(18n * FLOCK), ...event(3) }],
    as_of: String(AS_OF),
  };
}

/** The issuer: its bundled first buys, one vesting since STORY's graduation, one locked in RISE's raise. */
export function issuerPortfolio(): PortfolioView {
  return {
    ...emptyPortfolio(ACCOUNTS.issuer),
    positions: [
      {
        mt: TOKENS.story, ticker: "STORY", state: "graduated", mt_owed: String(10_000n * MT), claimable_mt: String(2_000n * MT),
        first_buy_mt: String(10_000n * MT), vesting_locked_mt: String(8_000n * MT), flock_committed: String(9_900n * FLOCK), refundable_flock: "0",
      },
      {
        mt: TOKENS.rise, ticker: "RISE", state: "raising", mt_owed: String(5_000n * MT), claimable_mt: "0",
        first_buy_mt: String(5_000n * MT), vesting_locked_mt: String(5_000n * MT), flock_committed: String(4_950n * FLOCK), refundable_flock: "0",
      },
    ],
  };
}

export function emptyPortfolio(address: `0x${string}`): PortfolioView {
  return { address, positions: [], refunds: [], claims: [], stakes: [], rewards: null, pending_rewards: null, reward_claims: [], as_of: String(AS_OF) };
}

export function offering(mt: `0x${string}`, ticker: string, state: OfferingDetail["state"], creator: `0x${string}` = ACCOUNTS.issuer): OfferingDetail {
  const graduated = state === "graduated";
  return {
    mt, ticker, name: `Demo ${ticker}`, model_id: `llama-3-8b:${ticker.toLowerCase()}`, creator, template_id: 0, terms_id: 0, metadata_uri: "",
    state, opens_at: Number(AS_OF - 86_400n), closes_at: Number(AS_OF + 86_400n), paused: false, paused_seconds: 0,
    graduated_at: graduated ? Number(AS_OF - 86_400n) : null,
    raised_flock: String(300_000n * FLOCK), raise_min_flock: String(200_000n * FLOCK), raise_max_flock: String(1_000_000n * FLOCK), progress_bps: "3000",
    sold_mt: String(100_000n * MT),
    // 2 FLOCK per $MT on the curve; the pool at 3 once graduated.
    curve_price: String(2n * FLOCK), pool_price: graduated ? String(3n * FLOCK) : null, pair: graduated ? addr(0x3001) : null,
    buys: 4, launched: event(0), volume_24h_flock: "0", market_cap_flock: "0",
    seconds_left: 0, candles: [], as_of: String(AS_OF),
  };
}

export const OFFERINGS: Record<string, OfferingDetail> = {
  [TOKENS.story.toLowerCase()]: offering(TOKENS.story, "STORY", "graduated"),
  [TOKENS.flop.toLowerCase()]: offering(TOKENS.flop, "FLOP", "failed"),
  [TOKENS.rise.toLowerCase()]: offering(TOKENS.rise, "RISE", "raising"),
};

export function createdBy(creator: string): OfferingsPage {
  const data = Object.values(OFFERINGS).filter((o) => o.creator.toLowerCase() === creator.toLowerCase());
  return { data, next_cursor: null, as_of: String(AS_OF) };
}
