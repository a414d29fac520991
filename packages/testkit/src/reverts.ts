// Reverts of FOMO's contracts as viem reports them, decoded against every FOMO ABI (a custom error can
// bubble up from a token or a pair), and the assertion "this call reverts with error X(args)".
import assert from "node:assert/strict";
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, getAddress, type Abi, type Hex } from "viem";
import {
  buybackExecutorAbi,
  creditDepositsAbi,
  emissionScheduleAbi,
  gmFlockAbi,
  incentivePoolAbi,
  launchpadAbi,
  localTokenAbi,
  modelTokenAbi,
  mtStakingAbi,
  revenueRouterAbi,
  rewardsDistributorAbi,
  templateRegistryAbi,
  timelockControllerAbi,
  twapOracleAbi,
} from "@fomo/sdk";

/** Every ABI a call in the tests can revert through (errors bubble up from tokens and pairs). */
const everyAbi = [
  launchpadAbi, templateRegistryAbi, modelTokenAbi, localTokenAbi, incentivePoolAbi, mtStakingAbi, twapOracleAbi,
  buybackExecutorAbi, revenueRouterAbi, creditDepositsAbi, emissionScheduleAbi, rewardsDistributorAbi, gmFlockAbi,
  timelockControllerAbi,
] as const;
const errorAbi: Abi = everyAbi.flatMap((abi) => (abi as Abi).filter((item) => item.type === "error"));

export interface Revert {
  errorName: string;
  args: readonly unknown[];
}

/** The revert carried by an error thrown by a viem write/read/deploy, decoded against every FOMO ABI. */
export function revertOf(err: unknown): Revert | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data) {
    return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
  }
  // Raw revert data somewhere in the chain of causes (a nested contract's error, a deployment).
  let raw: Hex | undefined = reverted instanceof ContractFunctionRevertedError ? reverted.raw : undefined;
  err.walk((e) => {
    const data = (e as { data?: unknown }).data;
    if (!raw && typeof data === "string" && data.startsWith("0x") && data.length >= 10) raw = data as Hex;
    return false;
  });
  if (!raw) return undefined;
  try {
    const { errorName, args } = decodeErrorResult({ abi: errorAbi, data: raw });
    return { errorName, args: args ?? [] };
  } catch {
    return { errorName: "unknown", args: [raw] };
  }
}

/**
 * Asserts that `call` reverts with the custom error `name` (and `args` if given, compared with
 * deepEqual after checksumming addresses). Returns the decoded revert.
 */
export async function reverts(call: Promise<unknown>, name: string, args?: readonly unknown[]): Promise<Revert> {
  let result: unknown;
  try {
    result = await call;
  } catch (err) {
    const r = revertOf(err);
    assert.ok(r, `expected ${name}, got a non-revert error: ${(err as Error).message}`);
    assert.equal(r.errorName, name, `expected ${name}${args ? JSON.stringify(args, big) : ""}, got ${r.errorName}${JSON.stringify(r.args, big)}`);
    if (args) assert.deepEqual(r.args.map(norm), args.map(norm), `${name} arguments`);
    return r;
  }
  assert.fail(`expected revert ${name}, but the call succeeded (${JSON.stringify(result, big)})`);
}
const big = (_: string, v: unknown) => (typeof v === "bigint" ? `${v}n` : v);
const norm = (v: unknown): unknown =>
  typeof v === "string" && /^0x[0-9a-fA-F]{40}$/.test(v) ? getAddress(v) : Array.isArray(v) ? v.map(norm) : v;
