// The deployments file: which contracts serve FOMO on a chain. The local deploy writes it; the
// SDK, CLI, gateway and web app read it. Only the pure parts live here so the web app can bundle
// them; reading and writing the file is in node.ts (`@fomo/sdk/node`).
import { erc20Abi, getAddress, isAddress, type Address, type PublicClient } from "viem";
import { checkStablecoinDecimals } from "./units.ts";

export interface Deployments {
  chainId: number;
  /** Block of the first protocol contract: where an indexer starts. */
  startBlock: string;
  /**
   * Decimals of the settlement stablecoin `contracts.usdc` (6 on Base, 18 on BSC): every USD amount
   * on chain is in its units, converted from micro-USD by units.ts. Read from the token when deployed.
   */
  usdcDecimals: number;
  contracts: {
    flock: Address;
    /** Settlement stablecoin (USDC; `usdcDecimals` decimals). */
    usdc: Address;
    weth: Address;
    uniswapV2Factory: Address;
    uniswapV2Router: Address;
    templateRegistry: Address;
    launchpad: Address;
    incentivePool: Address;
    /** Deploys each $MT with CREATE2 (see predictModelTokenAddress). */
    modelTokenFactory: Address;
    operatorVestingImplementation: Address;
    mtStaking: Address;
    twapOracle: Address;
    buybackExecutor: Address;
    revenueRouter: Address;
    creditDeposits: Address;
    emissionSchedule: Address;
    rewardsDistributor: Address;
    gmFlock: Address;
    /** Governance: holds every admin role when deployed with a timelock. */
    timelock?: Address;
  };
  roles: {
    /** Governance (the timelock when there is one) */
    admin: Address;
    treasury: Address;
    hostingReserve: Address;
    /** Posts revenue reports and reward roots. */
    keeper: Address;
    /** Holds the FLOCK for emissions and approved the rewards distributor. */
    emissionReserve: Address;
  };
}

const CONTRACT_KEYS = [
  "flock", "usdc", "weth", "uniswapV2Factory", "uniswapV2Router", "templateRegistry",
  "launchpad", "incentivePool", "modelTokenFactory", "operatorVestingImplementation",
  "mtStaking", "twapOracle", "buybackExecutor", "revenueRouter", "creditDeposits", "emissionSchedule",
  "rewardsDistributor", "gmFlock",
] as const;
const ROLE_KEYS = ["admin", "treasury", "hostingReserve", "keeper", "emissionReserve"] as const;

/** Parses and checks a deployments document; addresses come back checksummed. */
export function parseDeployments(json: string, source = "deployments"): Deployments {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e) {
    throw new Error(`${source}: not JSON (${(e as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`${source}: not a JSON object`);
  const d = raw as Partial<Deployments>;
  if (typeof d.chainId !== "number" || !Number.isInteger(d.chainId)) throw new Error(`${source}: chainId missing`);
  const address = (group: string, key: string, v: unknown): Address => {
    if (typeof v !== "string") throw new Error(`${source}: ${group}.${key} missing`);
    // strict: a mixed-case address must carry a valid EIP-55 checksum (a typo must not pass)
    if (!isAddress(v, { strict: true })) throw new Error(`${source}: ${group}.${key} is not an address: ${v}`);
    return getAddress(v);
  };
  const contracts = Object.fromEntries(
    CONTRACT_KEYS.map((k) => [k, address("contracts", k, d.contracts?.[k])]),
  ) as Deployments["contracts"];
  if (d.contracts?.timelock !== undefined) contracts.timelock = address("contracts", "timelock", d.contracts.timelock);
  const roles = Object.fromEntries(ROLE_KEYS.map((k) => [k, address("roles", k, d.roles?.[k])])) as Deployments["roles"];
  // No default: assuming 6 decimals is exactly the mistake that is off by 10^12 on BSC.
  if (typeof d.usdcDecimals !== "number") throw new Error(`${source}: usdcDecimals missing (the settlement stablecoin's decimals)`);
  let usdcDecimals: number;
  try {
    usdcDecimals = checkStablecoinDecimals(d.usdcDecimals);
  } catch (e) {
    throw new Error(`${source}: usdcDecimals: ${(e as Error).message}`);
  }
  return { chainId: d.chainId, startBlock: String(d.startBlock ?? "0"), usdcDecimals, contracts, roles };
}

/** The RPC's token disagrees with the deployments file about the stablecoin's decimals. */
export class UsdcDecimalsMismatch extends Error {
  override name = "UsdcDecimalsMismatch";
}

/**
 * Checks the deployments' `usdcDecimals` against the token's own `decimals()` on chain, so a
 * hand-written or stale file cannot skew every amount by a power of ten. Returns the decimals.
 */
export async function checkUsdcDecimals(client: PublicClient, d: Deployments): Promise<number> {
  const onChain = await client.readContract({ address: d.contracts.usdc, abi: erc20Abi, functionName: "decimals" });
  if (onChain !== d.usdcDecimals) {
    throw new UsdcDecimalsMismatch(
      `the settlement stablecoin ${d.contracts.usdc} has ${onChain} decimals on chain, but the deployments say ${d.usdcDecimals}`,
    );
  }
  return onChain;
}
