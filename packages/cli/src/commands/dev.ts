// `fomo dev advance DURATION`: moves the local chain's clock (evm_increaseTime, then a block mined at
// the new time), for what waits on chain time: a raise's window, the anti-snipe decay, TWAP windows,
// staking cooldowns, vesting. Refused on any chain but the local one: time moves only there.
import { createPublicClient, http, type PublicClient } from "viem";
import {
  CHAIN_FLAGS, chainDefaults, chainOptions, LOCAL_CHAIN_ID, parseFlags, UsageError, withoutSwitch, type ChainOptions,
} from "../args.ts";
import { jsonDocument } from "./chain.ts";
import { duration } from "./offerings.ts";

export const DEV_USAGE = `dev advance DURATION [--json] ${CHAIN_FLAGS}`;

export interface DevAdvanceOptions extends ChainOptions {
  seconds: number;
  json: boolean;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3_600, d: 86_400, w: 604_800 } as const;

/** A duration: one or more whole numbers with a unit, e.g. `7d`, `90m`, `30s`, `2h`, `1d12h`. */
export function parseDuration(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhdw])/g)];
  if (!text || parts.map((p) => p[0]).join("") !== text) {
    throw new UsageError(`fomo dev advance: not a duration: ${JSON.stringify(text)} (e.g. 7d, 90m, 30s, 2h, 1d12h)`);
  }
  const seconds = parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_SECONDS[unit as keyof typeof UNIT_SECONDS], 0);
  if (seconds <= 0 || !Number.isSafeInteger(seconds)) throw new UsageError(`fomo dev advance: the duration must be positive: ${text}`);
  return seconds;
}

/** `fomo dev advance DURATION [--json] …`. */
export function parseDevArgs(args: string[]): DevAdvanceOptions {
  const [sub, ...rest] = args;
  if (sub !== "advance") throw new UsageError(`fomo dev: unknown subcommand ${sub ?? "(none)"} (usage: fomo ${DEV_USAGE})`);
  const [json, flags] = withoutSwitch(rest, "--json");
  const text = flags.shift();
  if (!text || text.startsWith("--")) throw new UsageError(`fomo dev advance: give a DURATION (usage: fomo ${DEV_USAGE})`);
  const seconds = parseDuration(text);
  return parseFlags(flags, DEV_USAGE, chainDefaults(), (v) => ({ ...chainOptions(v), seconds, json }));
}

export async function devAdvance(opts: DevAdvanceOptions): Promise<number> {
  const client = createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 0, timeout: 5_000 }) }) as PublicClient;
  let chainId: number;
  try {
    chainId = await client.getChainId();
  } catch {
    throw new Error(`fomo dev advance: no chain answers at ${opts.rpcUrl}: is the local stack running (./fomo up)?`);
  }
  if (chainId !== LOCAL_CHAIN_ID) {
    throw new Error(`fomo dev advance: ${opts.rpcUrl} is chain ${chainId}, not the local chain (${LOCAL_CHAIN_ID}): time can be moved only there`);
  }
  const before = await client.getBlock({ blockTag: "latest" });
  await client.request({ method: "evm_increaseTime" as never, params: [opts.seconds] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
  const after = await client.getBlock({ blockTag: "latest" });
  const iso = (unix: bigint) => new Date(Number(unix) * 1000).toISOString().replace(".000Z", "Z");
  if (opts.json) {
    process.stdout.write(jsonDocument({
      chainId, seconds: opts.seconds, from: iso(before.timestamp), to: iso(after.timestamp), fromUnix: before.timestamp, toUnix: after.timestamp, block: after.number,
    }));
  } else {
    process.stdout.write(`advanced the chain's clock by ${duration(BigInt(opts.seconds))} (${opts.seconds} s): ${iso(before.timestamp)} → ${iso(after.timestamp)}, block ${after.number}\n`);
  }
  return 0;
}
