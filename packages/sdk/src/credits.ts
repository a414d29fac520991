// Typed actions on CreditDeposits (product.md §4): any wallet tops up an API account's inference
// credits in USDC; the gateway's indexer credits the account from the Deposited event. Only the
// treasury role sweeps deposited USDC to the settlement wallet.
import { keccak256, stringToBytes, type Address, type Hex, type PublicClient } from "viem";
import {
  addressOf,
  theEventOf,
  write,
  type BlockOptions,
  type Clients,
  type ContractRef,
  type EventArgsOf,
  type Sent,
  type WriteOptions,
} from "./client.ts";
import { creditDepositsAbi } from "./generated/abis.ts";
import { ensureAllowance, type Approval } from "./tokens.ts";
import { tokenUnitsToMicroUsd } from "./units.ts";

export type CreditDepositsRef = ContractRef<"creditDeposits">;
const depositsAddress = (ref: CreditDepositsRef) => addressOf(ref, "creditDeposits");

/**
 * The on-chain id (bytes32) of the API account named `accountId`: keccak256 of its UTF-8 bytes,
 * exactly as given (no trimming or Unicode normalisation), e.g. keccak256("acct_42"). The gateway
 * computes the same for its accounts to match Deposited events. The empty string has no id.
 */
export function accountIdOf(accountId: string): Hex {
  if (accountId.length === 0) throw new RangeError("an API account id cannot be empty");
  return keccak256(stringToBytes(accountId));
}

/**
 * The micro-USD of credits a deposit of `amount` USDC units buys, for a stablecoin of
 * `usdcDecimals` decimals: rounded down, so dust below a micro-USD (possible with 18 decimals)
 * is never credited. What the gateway's indexer credits for a Deposited event.
 */
export function creditsOfDeposit(amount: bigint, usdcDecimals: number): bigint {
  return tokenUnitsToMicroUsd(amount, usdcDecimals, "down");
}

/** Parameters of {@link depositCredits}. */
export type DepositCreditsParameters = { accountId: string; amount: bigint; approval?: Approval };
/** What {@link depositCredits} returns. */
export type DepositCreditsReturnType = Sent & { deposited: EventArgsOf<typeof creditDepositsAbi, "Deposited"> };

/**
 * Deposits `amount` USDC units (10^usdcDecimals per USD) from the signer as credits of API account `accountId` (the
 * account's name, mapped with accountIdOf). Gets the USDC allowance first when it is short.
 *
 * @example
 * const amount = microUsdToTokenUnits(parseUsd("25"), deployments.usdcDecimals); // 25 USD
 * const { deposited } = await depositCredits(clients, deployments, { accountId: "my-team", amount });
 */
export async function depositCredits(
  clients: Clients,
  ref: CreditDepositsRef,
  { accountId, amount, approval }: DepositCreditsParameters,
  opts: WriteOptions = {},
): Promise<DepositCreditsReturnType> {
  const address = depositsAddress(ref);
  const usdc = await clients.public.readContract({ address, abi: creditDepositsAbi, functionName: "usdc" });
  await ensureAllowance(clients, { token: usdc, spender: address, amount, approval }, opts);
  const sent = await write(clients, address, creditDepositsAbi, "deposit", [accountIdOf(accountId), amount], opts);
  return { ...sent, deposited: theEventOf(creditDepositsAbi, address, sent, "Deposited") };
}

/** Parameters of {@link sweepDeposits}. */
export type SweepDepositsParameters = { amount: bigint };
/** What {@link sweepDeposits} returns. */
export type SweepDepositsReturnType = Sent & { to: Address; amount: bigint };

/**
 * Moves `amount` deposited USDC to the settlement wallet (treasury role).
 *
 * @example
 * const { to, amount } = await sweepDeposits(treasuryClients, deployments, { amount: 1_000_000_000n });
 */
export async function sweepDeposits(
  clients: Clients,
  ref: CreditDepositsRef,
  { amount }: SweepDepositsParameters,
  opts: WriteOptions = {},
): Promise<SweepDepositsReturnType> {
  const address = depositsAddress(ref);
  const sent = await write(clients, address, creditDepositsAbi, "sweep", [amount], opts);
  const ev = theEventOf(creditDepositsAbi, address, sent, "Swept");
  return { ...sent, to: ev.to, amount: ev.amount };
}

/** Parameters of {@link getDepositsState}. */
export type GetDepositsStateParameters = BlockOptions;
/** What {@link getDepositsState} returns. */
export type GetDepositsStateReturnType = { depositCount: bigint; settlementWallet: Address };

/**
 * Number of deposits so far (the next deposit's id) and where sweeps go.
 *
 * @example
 * const { depositCount, settlementWallet } = await getDepositsState(publicClient, deployments);
 */
export async function getDepositsState(
  client: PublicClient,
  ref: CreditDepositsRef,
  block: GetDepositsStateParameters = {},
): Promise<GetDepositsStateReturnType> {
  const address = depositsAddress(ref);
  const [depositCount, settlementWallet] = await Promise.all([
    client.readContract({ address, abi: creditDepositsAbi, functionName: "depositCount", ...block }),
    client.readContract({ address, abi: creditDepositsAbi, functionName: "settlementWallet", ...block }),
  ]);
  return { depositCount, settlementWallet };
}
