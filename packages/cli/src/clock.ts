// Which clock the local stack's processes date things by (docs/operations.md#clocks). On a real
// network chain time follows the wall clock (within a block's seconds), so the wall clock is the
// clock. On the local Hardhat chain, `dev advance` (evm_increaseTime) moves the chain's time ahead of
// the wall clock, by a day at a time, for raises, TWAP windows, cooldowns and vesting to pass; usage
// dated by the wall clock would then land in an epoch the chain left long ago. So there the clock is
// the chain's: the wall clock plus the chain's offset, learned from the latest block and refreshed.
// The gateway dates usage and receipts by it, the keeper judges epochs final by it: both count in
// the epoch the chain is in.
import { createPublicClient, http, type PublicClient } from "viem";
import { LOCAL_CHAIN_ID } from "./args.ts";

/** A clock: epoch ms now; stop() ends its refreshing. */
export interface Clock {
  now(): number;
  /** Reads the chain's time again now (a chain clock); resolves when the offset is updated. */
  refresh(): Promise<void>;
  stop(): void;
}

/** The wall clock. */
export const WALL_CLOCK: Clock = { now: () => Date.now(), refresh: async () => {}, stop() {} };

/** How often a chain clock reads the chain's time: `dev advance` shows in the dates within this. */
export const CHAIN_CLOCK_REFRESH_MS = 1_000;

/**
 * The chain's time as a clock: the wall clock plus the offset of the latest block's timestamp, read
 * now and every `refreshMs`. The offset only grows (Hardhat's time only jumps forward; a block read
 * some time after it was mined shows a smaller offset than the chain's), so the clock never runs back.
 */
export async function chainClock(client: PublicClient, { refreshMs = CHAIN_CLOCK_REFRESH_MS, wall = () => Date.now() } = {}): Promise<Clock> {
  let offsetMs = 0;
  const refresh = async () => {
    const { timestamp } = await client.getBlock({ blockTag: "latest" });
    const seen = Number(timestamp) * 1_000 - wall();
    if (seen > offsetMs) offsetMs = seen;
  };
  await refresh();
  // A node that does not answer for a while keeps the last offset.
  const timer = setInterval(() => void refresh().catch(() => {}), refreshMs);
  timer.unref();
  return { now: () => wall() + offsetMs, refresh, stop: () => clearInterval(timer) };
}

/** The clock of the chain at `rpcUrl`: the chain's on the local chain, the wall clock elsewhere (or when the node does not answer). */
export async function clockOf(rpcUrl: string): Promise<Clock> {
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) }) as PublicClient;
  try {
    return (await client.getChainId()) === LOCAL_CHAIN_ID ? await chainClock(client) : WALL_CLOCK;
  } catch {
    return WALL_CLOCK;
  }
}
