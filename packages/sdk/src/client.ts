// What every SDK action takes: viem clients and a way to find the contracts. Actions accept either
// a Deployments object (or any object with the addresses they need) or the bare contract address.
import {
  isAddressEqual,
  parseEventLogs,
  type Abi,
  type Account,
  type Address,
  type BlockTag,
  type Chain,
  type ContractEventName,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type Hash,
  type Log,
  type ParseEventLogsReturnType,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";
import type { Deployments } from "./deployments.ts";

/** A wallet client that can sign: it has an account and a chain. */
export type Wallet = WalletClient<Transport, Chain, Account>;

/** A public client to read and wait for receipts, and a wallet to sign (viem's `getContract` shape). */
export interface Clients {
  public: PublicClient;
  wallet: Wallet;
}

type Contracts = Deployments["contracts"];
/** Any object carrying the named deployment addresses, e.g. a whole Deployments. */
export type ContractsOf<K extends keyof Contracts> = { contracts: Pick<Contracts, K> };

/**
 * The Launchpad: its address, or deployments naming it. Deployments also give the FLOCK and
 * registry addresses and the start block; with a bare address the SDK reads what it needs from
 * the Launchpad (and scans logs from block 0).
 */
export type LaunchpadRef =
  | Address
  | { contracts: Pick<Contracts, "launchpad"> & Partial<Pick<Contracts, "flock" | "templateRegistry">>; startBlock?: string };
/** The TemplateRegistry: its address, or deployments naming it. */
export type RegistryRef = Address | ContractsOf<"templateRegistry">;

/** A contract named in the deployments: the deployments (or any object naming it), or its bare address. */
export type ContractRef<K extends RequiredContract> = Address | ContractsOf<K>;
type RequiredContract = { [K in keyof Contracts]-?: undefined extends Contracts[K] ? never : K }[keyof Contracts];

/** The address behind a ContractRef. */
export const addressOf = <K extends RequiredContract>(ref: ContractRef<K>, key: K): Address =>
  typeof ref === "string" ? ref : ref.contracts[key];

export const launchpadAddress = (ref: LaunchpadRef): Address => (typeof ref === "string" ? ref : ref.contracts.launchpad);
export const registryAddress = (ref: RegistryRef): Address =>
  typeof ref === "string" ? ref : ref.contracts.templateRegistry;

/** Which block a read looks at (viem's convention: a number or a tag, never both). */
export type BlockOptions = { blockNumber?: bigint; blockTag?: never } | { blockNumber?: never; blockTag?: BlockTag };

/** Options of every write. */
export interface WriteOptions {
  /**
   * Block the call is simulated against before it is sent, which turns a revert into a decoded
   * error instead of a failed transaction. Default "pending": the block the transaction lands in,
   * whose timestamp (anti-snipe fee, deadline, raise window) matters here. Use "latest" for an RPC
   * without pending-block support.
   */
  blockTag?: BlockTag;
  /**
   * Sends the simulated request instead of `wallet.writeContract`, e.g. a journal that persists the
   * signed transaction and its nonce before broadcasting it, so a restart can rebroadcast it.
   */
  sender?: Sender;
}

/** What a write sends once its simulation passed: the contract call, from `account`. */
export interface SendRequest {
  address: Address;
  abi: Abi;
  functionName: string;
  args: readonly unknown[];
  account: Account | Address;
}

/** Sends a simulated contract call and returns its transaction hash. */
export type Sender = (request: SendRequest) => Promise<Hash>;

/** A mined, successful transaction. */
export interface Sent {
  hash: Hash;
  receipt: TransactionReceipt;
}

/** Waits for `hash` and fails if the transaction reverted (possible when state moved since the simulation). */
export async function mined(client: PublicClient, hash: Hash, what: string): Promise<Sent> {
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${what} reverted on chain (tx ${hash})`);
  return { hash, receipt };
}

/**
 * The timestamp the next transaction will see: the pending block's, else the latest block's.
 * Chain time, not the wall clock: a local chain may have travelled in time, or sat idle.
 */
export async function chainTime(client: PublicClient): Promise<bigint> {
  try {
    return (await client.getBlock({ blockTag: "pending" })).timestamp;
  } catch {
    return (await client.getBlock({ blockTag: "latest" })).timestamp;
  }
}

/**
 * Headroom on a gas estimate, in percent. An estimate is exact for the block it was made in; some
 * calls cost more a block later (Uniswap's price accumulators and MtStaking's checkpoints take a
 * costlier path once the timestamp moves on), and a chain that gives several blocks one timestamp
 * (anvil) makes that common: an exact limit then runs out of gas. Only the gas used is paid.
 */
export const GAS_MARGIN_PERCENT = 25n;

/** `gas` with GAS_MARGIN_PERCENT on top, rounded up. */
export const withGasMargin = (gas: bigint): bigint => (gas * (100n + GAS_MARGIN_PERCENT) + 99n) / 100n;

/**
 * Simulates `functionName` on the contract as the signer, sends it with a gas limit of the estimate
 * plus GAS_MARGIN_PERCENT and waits for success. The simulation turns a revert into a decodable error
 * (see describeError) instead of a failed transaction; a transaction that still reverts on chain
 * (state moved) throws too.
 */
export async function write<const A extends Abi, const F extends ContractFunctionName<A, "nonpayable">>(
  clients: Clients,
  address: Address,
  abi: A,
  functionName: F,
  args: ContractFunctionArgs<A, "nonpayable", F>,
  opts: WriteOptions = {},
): Promise<Sent> {
  // The signature above checks name and args against the ABI; viem's generics cannot follow a
  // generic function name through simulate -> write, so the call itself goes untyped. The ABI
  // object is passed through as is: describeError recognises the contract by it.
  const { request } = await clients.public.simulateContract({
    account: clients.wallet.account,
    address,
    abi: abi as Abi,
    functionName,
    args: args as readonly unknown[],
    blockTag: opts.blockTag ?? "pending",
  });
  const hash = opts.sender
    ? await opts.sender({ address, abi: abi as Abi, functionName, args: args as readonly unknown[], account: request.account! })
    : await clients.wallet.writeContract({ ...request, gas: withGasMargin(await clients.public.estimateContractGas(request)) } as typeof request);
  return mined(clients.public, hash, functionName);
}

/** Decoded arguments of event `N` of `A`. */
export type EventArgsOf<A extends Abi, N extends ContractEventName<A>> = ParseEventLogsReturnType<A, N, true>[number]["args"];

/** The events of one name that the contract at `address` emitted in `logs` (other contracts' logs ignored). */
export function eventsOf<const A extends Abi, N extends ContractEventName<A>>(
  abi: A,
  address: Address,
  logs: Log[],
  eventName: N,
): EventArgsOf<A, N>[] {
  return parseEventLogs({ abi, logs, eventName, strict: true })
    .filter((l) => isAddressEqual(l.address, address))
    .map((l) => l.args as EventArgsOf<A, N>);
}

/** The single event a successful call must emit. */
export function theEventOf<const A extends Abi, N extends ContractEventName<A>>(
  abi: A,
  address: Address,
  sent: Sent,
  eventName: N,
): EventArgsOf<A, N> {
  const [ev] = eventsOf(abi, address, sent.receipt.logs, eventName);
  if (!ev) throw new Error(`no ${eventName} event in tx ${sent.hash}`);
  return ev;
}
