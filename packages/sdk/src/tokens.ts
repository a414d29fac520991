// ERC-20 allowances for the SDK's actions: approve, approve only when needed, or sign an EIP-2612
// permit instead (FLOCK, USDC and every $MT implement it). An action that pulls tokens (stake,
// reportRevenue, lock, deposit) takes `approval` and gets its allowance through these.
import { erc20Abi, parseSignature, type Address, type Hex, type PublicClient } from "viem";
import { chainTime, write, type Clients, type Sent, type WriteOptions } from "./client.ts";

/** The EIP-2612 and EIP-5267 functions of an OpenZeppelin ERC20Permit token. */
const permitAbi = [
  {
    type: "function",
    name: "permit",
    stateMutability: "nonpayable",
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "deadline", type: "uint256" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    outputs: [],
  },
  {
    type: "function",
    name: "nonces",
    stateMutability: "view",
    inputs: [{ name: "owner", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "eip712Domain",
    stateMutability: "view",
    inputs: [],
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
  },
] as const;

/**
 * How an action that pulls tokens gets its allowance when the current one is too small:
 * "approve" sends an approval of exactly the amount first (a transaction), "permit" signs an
 * EIP-2612 permit and submits it (the signature is off-chain; its submission is a transaction
 * anyone could relay), "none" sends nothing and lets the call fail with a readable
 * ERC20InsufficientAllowance if the allowance is short.
 */
export type Approval = "approve" | "permit" | "none";

/** A permit signature, as `permit(owner, spender, value, deadline, v, r, s)` takes it. */
export interface PermitSignature {
  owner: Address;
  spender: Address;
  value: bigint;
  deadline: bigint;
  v: number;
  r: Hex;
  s: Hex;
}

/** How long a signed permit stays valid when the caller gives no deadline: 20 minutes of chain time. */
export const DEFAULT_PERMIT_SECONDS = 20n * 60n;

/** Parameters of {@link getAllowance}. */
export type GetAllowanceParameters = { token: Address; owner: Address; spender: Address };
/** What {@link getAllowance} returns. */
export type GetAllowanceReturnType = bigint;

/**
 * `spender`'s allowance over `owner`'s `token`.
 *
 * @example
 * const allowance = await getAllowance(publicClient, { token: flock, owner, spender: deployments.contracts.launchpad });
 */
export function getAllowance(
  client: PublicClient,
  { token, owner, spender }: GetAllowanceParameters,
): Promise<GetAllowanceReturnType> {
  return client.readContract({ address: token, abi: erc20Abi, functionName: "allowance", args: [owner, spender] });
}

/** Parameters of {@link approveToken}. */
export type ApproveTokenParameters = { token: Address; spender: Address; amount: bigint };
/** What {@link approveToken} returns. */
export type ApproveTokenReturnType = Sent;

/**
 * Approves `spender` to pull `amount` of `token` from the signer.
 *
 * @example
 * await approveToken(clients, { token: flock, spender: deployments.contracts.gmFlock, amount: 1_000n * FLOCK });
 */
export function approveToken(
  clients: Clients,
  { token, spender, amount }: ApproveTokenParameters,
  opts: WriteOptions = {},
): Promise<ApproveTokenReturnType> {
  return write(clients, token, erc20Abi, "approve", [spender, amount], opts);
}

/** Parameters of {@link signPermit}. */
export type SignPermitParameters = { token: Address; spender: Address; value: bigint; deadline?: bigint };
/** What {@link signPermit} returns. */
export type SignPermitReturnType = PermitSignature;

/**
 * Signs an EIP-2612 permit for `spender` to pull `value` of `token` from the signer (no transaction).
 *
 * @example
 * const permit = await signPermit(clients, { token: mt, spender: deployments.contracts.mtStaking, value: amount });
 * await submitPermit(relayerClients, mt, permit);
 */
export async function signPermit(
  clients: Clients,
  { token, spender, value, deadline }: SignPermitParameters,
): Promise<SignPermitReturnType> {
  const owner = clients.wallet.account.address;
  const [[, name, version, chainId, verifyingContract], nonce, until] = await Promise.all([
    clients.public.readContract({ address: token, abi: permitAbi, functionName: "eip712Domain" }),
    clients.public.readContract({ address: token, abi: permitAbi, functionName: "nonces", args: [owner] }),
    deadline ?? chainTime(clients.public).then((now) => now + DEFAULT_PERMIT_SECONDS),
  ]);
  const signature = await clients.wallet.signTypedData({
    domain: { name, version, chainId, verifyingContract },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner, spender, value, nonce, deadline: until },
  });
  const { v, yParity, r, s } = parseSignature(signature);
  return { owner, spender, value, deadline: until, v: v === undefined ? yParity + 27 : Number(v), r, s };
}

/** Parameters of {@link submitPermit}. */
export type SubmitPermitParameters = PermitSignature;
/** What {@link submitPermit} returns. */
export type SubmitPermitReturnType = Sent;

/**
 * Submits a signed permit (any wallet may: the allowance is the signer's).
 *
 * @example
 * await submitPermit(relayerClients, mt, await signPermit(ownerClients, { token: mt, spender, value }));
 */
export function submitPermit(
  clients: Clients,
  token: Address,
  p: SubmitPermitParameters,
  opts: WriteOptions = {},
): Promise<SubmitPermitReturnType> {
  return write(clients, token, permitAbi, "permit", [p.owner, p.spender, p.value, p.deadline, p.v, p.r, p.s], opts);
}

/** Parameters of {@link ensureAllowance}. */
export type EnsureAllowanceParameters = { token: Address; spender: Address; amount: bigint; approval?: Approval };
/** What {@link ensureAllowance} returns. */
export type EnsureAllowanceReturnType = Sent | undefined;

/**
 * Makes sure `spender` may pull `amount` of `token` from the signer: nothing if the allowance
 * already covers it, else an approval or a permit of exactly `amount` (see Approval). Returns the
 * transaction sent, if any.
 *
 * @example
 * const sent = await ensureAllowance(clients, { token: usdc, spender: deployments.contracts.creditDeposits, amount, approval: "permit" });
 */
export async function ensureAllowance(
  clients: Clients,
  { token, spender, amount, approval = "approve" }: EnsureAllowanceParameters,
  opts: WriteOptions = {},
): Promise<EnsureAllowanceReturnType> {
  if (approval === "none") return undefined;
  const owner = clients.wallet.account.address;
  if ((await getAllowance(clients.public, { token, owner, spender })) >= amount) return undefined;
  if (approval === "approve") return approveToken(clients, { token, spender, amount }, opts);
  const signed = await signPermit(clients, { token, spender, value: amount });
  return submitPermit(clients, token, signed, opts);
}
