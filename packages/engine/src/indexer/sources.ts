// What the indexer follows: the protocol contracts of a deployments file, and the contracts their
// events reveal (each $MT a launch deploys, each graduation's $MT/FLOCK pair and operator vesting
// clone). Each kind of source decodes its logs with its own ABI from @fomo/sdk's generated ABIs.
import {
  buybackExecutorAbi,
  creditDepositsAbi,
  emissionScheduleAbi,
  gmFlockAbi,
  incentivePoolAbi,
  launchpadAbi,
  modelTokenAbi,
  modelTokenFactoryAbi,
  mtStakingAbi,
  operatorVestingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  templateRegistryAbi,
  timelockControllerAbi,
  twapOracleAbi,
  uniswapV2FactoryAbi,
  uniswapV2PairAbi,
  type Deployments,
} from "@fomo/sdk";
import { decodeEventLog, getAddress, toEventSelector, zeroAddress, type Abi, type Address, type Hex, type Log, type PublicClient } from "viem";

export type SourceKind =
  | "templateRegistry" | "launchpad" | "incentivePool" | "modelTokenFactory" | "mtStaking" | "twapOracle"
  | "buybackExecutor" | "revenueRouter" | "creditDeposits" | "emissionSchedule" | "rewardsDistributor"
  | "gmFlock" | "timelock" | "uniswapV2Factory" | "mt" | "pair" | "vesting";

/** The events kept of a source that emits more than the read model needs. */
const KEPT_EVENTS: Partial<Record<SourceKind, ReadonlySet<string>>> = {
  // A pool's reserves and trades (not its LP token's transfers).
  pair: new Set(["Sync", "Swap"]),
  // The pairs it creates: the read model's pools start at the $MT/FLOCK or USDC/FLOCK PairCreated.
  uniswapV2Factory: new Set(["PairCreated"]),
};

const ABIS: Record<SourceKind, Abi> = {
  templateRegistry: templateRegistryAbi,
  launchpad: launchpadAbi,
  incentivePool: incentivePoolAbi,
  modelTokenFactory: modelTokenFactoryAbi,
  mtStaking: mtStakingAbi,
  twapOracle: twapOracleAbi,
  buybackExecutor: buybackExecutorAbi,
  revenueRouter: revenueRouterAbi,
  creditDeposits: creditDepositsAbi,
  emissionSchedule: emissionScheduleAbi,
  rewardsDistributor: rewardsDistributorAbi,
  gmFlock: gmFlockAbi,
  timelock: timelockControllerAbi,
  uniswapV2Factory: uniswapV2FactoryAbi,
  mt: modelTokenAbi,
  pair: uniswapV2PairAbi,
  vesting: operatorVestingAbi,
};

/** The contracts of a deployments file the indexer follows (tokens like FLOCK and USDC are not sources). */
const DEPLOYED_SOURCES = [
  "templateRegistry", "launchpad", "incentivePool", "modelTokenFactory", "mtStaking", "twapOracle",
  "buybackExecutor", "revenueRouter", "creditDeposits", "emissionSchedule", "rewardsDistributor", "gmFlock", "uniswapV2Factory",
] as const satisfies readonly SourceKind[];

export interface Source {
  /** Unique per chain: the contract's name in the deployments file, or "<kind>:<address>". */
  name: string;
  kind: SourceKind;
  /** Lower-case. */
  address: Address;
  /** Block of the event that revealed it; null for a contract of the deployments file. */
  discoveredAt: bigint | null;
}

/** The deployments file's sources, plus the USDC/FLOCK pool (read from the factory: it predates the protocol). */
export async function deployedSources(client: PublicClient, d: Deployments): Promise<Source[]> {
  const sources: Source[] = DEPLOYED_SOURCES.map((kind) => ({ name: kind, kind, address: lower(d.contracts[kind]), discoveredAt: null }));
  if (d.contracts.timelock) sources.push({ name: "timelock", kind: "timelock", address: lower(d.contracts.timelock), discoveredAt: null });
  const usdcPair = await client.readContract({
    address: d.contracts.uniswapV2Factory,
    abi: uniswapV2FactoryAbi,
    functionName: "getPair",
    args: [d.contracts.usdc, d.contracts.flock],
  });
  if (usdcPair !== zeroAddress) sources.push({ name: "usdcFlockPair", kind: "pair", address: lower(usdcPair), discoveredAt: null });
  return sources;
}

/** The sources an event reveals: a launch's $MT, a graduation's pool and operator vesting clone. */
export function revealedSources(kind: SourceKind, eventName: string, args: Record<string, unknown>, block: bigint): Source[] {
  if (kind !== "launchpad") return [];
  const found = (k: SourceKind, address: unknown): Source[] =>
    typeof address === "string" && address !== zeroAddress
      ? [{ name: `${k}:${lower(address as Address)}`, kind: k, address: lower(address as Address), discoveredAt: block }]
      : [];
  if (eventName === "Launched") return found("mt", args.mt);
  if (eventName === "Graduated") {
    const result = args.result as { operatorVesting?: unknown };
    return [...found("pair", args.pair), ...found("vesting", result.operatorVesting)];
  }
  return [];
}

export interface DecodedEvent {
  eventName: string;
  args: Record<string, unknown>;
}

const selectorsCache = new Map<SourceKind, Set<Hex>>();

/** The log decoded by its source's ABI; undefined for an event the indexer does not keep. */
export function decodeLog(kind: SourceKind, log: Log): DecodedEvent | undefined {
  const topic0 = log.topics[0];
  if (topic0 === undefined || !eventSelectors(kind).has(topic0)) return undefined;
  const decoded = decodeEventLog({ abi: ABIS[kind], data: log.data, topics: log.topics as [Hex, ...Hex[]], strict: true });
  if (KEPT_EVENTS[kind]?.has(decoded.eventName as unknown as string) === false) return undefined;
  return { eventName: decoded.eventName as unknown as string, args: normaliseArgs(decoded.args) };
}

function eventSelectors(kind: SourceKind): Set<Hex> {
  let selectors = selectorsCache.get(kind);
  if (!selectors) {
    selectors = new Set(
      ABIS[kind].filter((item) => item.type === "event").map((item) => toEventSelector(item as never) as Hex),
    );
    selectorsCache.set(kind, selectors);
  }
  return selectors;
}

/** Named args as an object (viem gives an array for events with unnamed inputs: keep their positions). */
function normaliseArgs(args: unknown): Record<string, unknown> {
  if (args === undefined) return {};
  if (Array.isArray(args)) return Object.fromEntries((args as unknown[]).map((value, i) => [String(i), value]));
  return args as Record<string, unknown>;
}

export function lower(address: Address): Address {
  return getAddress(address).toLowerCase() as Address;
}
