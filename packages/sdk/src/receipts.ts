// Usage receipts (docs/api.md, "Usage receipts"): the gateway signs one EIP-712 receipt per billed request, and the
// receipts of one usage epoch (UTC day, epochs.ts) and one deployment are the leaves of the `usageRoot` the keeper
// commits with RevenueRouter.reportRevenue, so anyone holding a receipt can prove it was counted.
//
// Typed data (Solidity types a contract can check later with ECDSA.recover and MerkleProof):
//   UsageReceipt(string requestId,string modelId,string account,address deployment,
//                uint64 inputTokens,uint64 outputTokens,uint256 costMicroUsd,uint64 timestamp)
// Domain: name "FOMO Usage Receipt", version "1", chainId and verifyingContract = the RevenueRouter
// of the deployments file. The router is the contract that commits receipts (its usageRoot), so a
// receipt is bound to the one router and chain whose roots can prove it; a gateway with no chain
// signs under the unbound domain (name and version only), which no router would accept.
//
// Leaf (OpenZeppelin StandardMerkleTree, leaf encoding ["bytes32"], value = the EIP-712 struct hash):
//   leaf = keccak256(bytes.concat(keccak256(abi.encode(hashStruct(receipt)))))
// Tree: StandardMerkleTree's sorted-pair tree over those leaves (merkle.ts), root zero when empty.
import {
  bytesToHex,
  concat,
  domainSeparator,
  getAddress,
  hexToBytes,
  isAddress,
  isHex,
  keccak256,
  recoverAddress,
  zeroAddress,
  type Address,
  type Hex,
  type LocalAccount,
  type TypedDataDomain,
} from "viem";
import { keccakBytes } from "./keccak.ts";
import { buildStandardTree, standardLeafHash, verifyStandardProof } from "./merkle.ts";

/** One billed request as the gateway signs it. */
export interface UsageReceipt {
  /** The ledger's request id (unique per gateway; scoped by the API key that made it). */
  requestId: string;
  modelId: string;
  /** The API account (team) billed. */
  account: string;
  /** The deployment's $MT address; the zero address for the platform's base models. */
  deployment: Address;
  inputTokens: bigint;
  outputTokens: bigint;
  /** The price charged, micro-USD (the stablecoin amount: microUsdToTokenUnits). */
  costMicroUsd: bigint;
  /** When it was settled, unix seconds. */
  timestamp: bigint;
}

export interface SignedUsageReceipt {
  receipt: UsageReceipt;
  /** 65-byte ECDSA signature (r ‖ s ‖ v) over the EIP-712 digest. */
  signature: Hex;
}

/** The EIP-712 domain of receipts: bound to a RevenueRouter on a chain, or unbound (no chain). */
export type UsageReceiptDomain = Pick<TypedDataDomain, "name" | "version" | "chainId" | "verifyingContract">;

export const USAGE_RECEIPT_DOMAIN_NAME = "FOMO Usage Receipt";
export const USAGE_RECEIPT_DOMAIN_VERSION = "1";

export const USAGE_RECEIPT_TYPES = {
  UsageReceipt: [
    { name: "requestId", type: "string" },
    { name: "modelId", type: "string" },
    { name: "account", type: "string" },
    { name: "deployment", type: "address" },
    { name: "inputTokens", type: "uint64" },
    { name: "outputTokens", type: "uint64" },
    { name: "costMicroUsd", type: "uint256" },
    { name: "timestamp", type: "uint64" },
  ],
} as const;

const TYPE_STRING =
  "UsageReceipt(string requestId,string modelId,string account,address deployment,uint64 inputTokens,uint64 outputTokens,uint256 costMicroUsd,uint64 timestamp)";
const TYPE_HASH = hexToBytes(keccak256(new TextEncoder().encode(TYPE_STRING)));

/**
 * The receipts domain of a deployment: its chain and RevenueRouter. Without one (a gateway with no
 * chain configured) the domain is unbound: name and version only.
 */
export function usageReceiptDomain(deployments?: { chainId: number; contracts: { revenueRouter: Address } }): UsageReceiptDomain {
  const base = { name: USAGE_RECEIPT_DOMAIN_NAME, version: USAGE_RECEIPT_DOMAIN_VERSION };
  if (!deployments) return base;
  return { ...base, chainId: deployments.chainId, verifyingContract: getAddress(deployments.contracts.revenueRouter) };
}

// ------------------------------------------------------------------ checks

const UINT64_LIMIT = 1n << 64n;
const UINT256_LIMIT = 1n << 256n;

/** Refuses a receipt no contract could take: bad address, negative or oversized numbers, empty ids. */
export function checkUsageReceipt(r: UsageReceipt): void {
  for (const field of ["requestId", "modelId", "account"] as const) {
    if (typeof r[field] !== "string" || r[field] === "") throw new Error(`receipt ${field} must be a non-empty string`);
  }
  if (typeof r.deployment !== "string" || !isAddress(r.deployment, { strict: false })) {
    throw new Error(`receipt deployment is not an address: ${String(r.deployment)}`);
  }
  for (const field of ["inputTokens", "outputTokens", "timestamp"] as const) {
    if (typeof r[field] !== "bigint" || r[field] < 0n || r[field] >= UINT64_LIMIT) throw new Error(`receipt ${field} must be a uint64 bigint`);
  }
  if (typeof r.costMicroUsd !== "bigint" || r.costMicroUsd < 0n || r.costMicroUsd >= UINT256_LIMIT) {
    throw new Error("receipt costMicroUsd must be a uint256 bigint");
  }
}

// ------------------------------------------------------------------ hashing

const utf8 = new TextEncoder();

/**
 * keccak256 of a string that repeats across receipts (model ids, accounts): an epoch's receipts name
 * a few models and accounts many times each, so each is hashed once. Bounded: cleared when full.
 */
const repeatedHashes = new Map<string, Uint8Array>();
const REPEATED_HASHES_MAX = 1 << 17;
function hashRepeated(text: string): Uint8Array {
  let hash = repeatedHashes.get(text);
  if (hash === undefined) {
    if (repeatedHashes.size >= REPEATED_HASHES_MAX) repeatedHashes.clear();
    repeatedHashes.set(text, (hash = keccakBytes(utf8.encode(text))));
  }
  return hash;
}

function word(out: Uint8Array, at: number, x: bigint): void {
  for (let i = at + 31; x > 0n; i--, x >>= 8n) out[i] = Number(x & 0xffn);
}

/**
 * EIP-712 hashStruct(receipt), written out for speed (a fourth of viem's generic hashStruct; the
 * tests check they agree): the gateway hashes once per request and the keeper once per leaf.
 */
function structHashBytes(r: UsageReceipt): Uint8Array {
  checkUsageReceipt(r);
  const encoded = new Uint8Array(9 * 32);
  encoded.set(TYPE_HASH, 0);
  encoded.set(keccakBytes(utf8.encode(r.requestId)), 32);
  encoded.set(hashRepeated(r.modelId), 64);
  encoded.set(hashRepeated(r.account), 96);
  encoded.set(hexToBytes(r.deployment), 128 + 12);
  word(encoded, 160, r.inputTokens);
  word(encoded, 192, r.outputTokens);
  word(encoded, 224, r.costMicroUsd);
  word(encoded, 256, r.timestamp);
  return keccakBytes(encoded);
}

/** EIP-712 hashStruct of a receipt. */
export function usageReceiptStructHash(r: UsageReceipt): Hex {
  return bytesToHex(structHashBytes(r));
}

// Domain separators are few (one per gateway): hash each once.
const separators = new Map<string, Hex>();
function separatorOf(domain: UsageReceiptDomain): Hex {
  const k = `${domain.name}|${domain.version}|${domain.chainId ?? ""}|${domain.verifyingContract ?? ""}`;
  let separator = separators.get(k);
  if (!separator) {
    separator = domainSeparator({ domain });
    separators.set(k, separator);
  }
  return separator;
}

/** The EIP-712 digest that is signed: keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(receipt)). */
export function usageReceiptDigest(domain: UsageReceiptDomain, r: UsageReceipt): Hex {
  return keccak256(concat(["0x1901", separatorOf(domain), usageReceiptStructHash(r)]));
}

// ------------------------------------------------------------------ signing

/** Signs a receipt with a local viem account (privateKeyToAccount): deterministic (RFC 6979). */
export async function signUsageReceipt(
  account: Pick<LocalAccount, "sign" | "signTypedData">,
  domain: UsageReceiptDomain,
  receipt: UsageReceipt,
): Promise<Hex> {
  const hash = usageReceiptDigest(domain, receipt);
  if (account.sign) return account.sign({ hash });
  return account.signTypedData({ domain, types: USAGE_RECEIPT_TYPES, primaryType: "UsageReceipt", message: receipt });
}

/** The address that signed a receipt (throws on a malformed signature). */
export function recoverUsageReceiptSigner(domain: UsageReceiptDomain, { receipt, signature }: SignedUsageReceipt): Promise<Address> {
  return recoverAddress({ hash: usageReceiptDigest(domain, receipt), signature });
}

/** True if `signer` (the gateway's address) signed this receipt under `domain`; false for any tampering. */
export async function verifyUsageReceipt(domain: UsageReceiptDomain, signed: SignedUsageReceipt, signer: Address): Promise<boolean> {
  try {
    return (await recoverUsageReceiptSigner(domain, signed)).toLowerCase() === signer.toLowerCase();
  } catch {
    return false; // malformed signature or receipt: not a receipt of `signer`
  }
}

// ------------------------------------------------------------------ the compact (header) form

/** The receipt as JSON: numbers as decimal strings, so no bigint is ever rounded by a JSON parser. */
export interface UsageReceiptJson {
  requestId: string;
  modelId: string;
  account: string;
  deployment: Address;
  inputTokens: string;
  outputTokens: string;
  costMicroUsd: string;
  timestamp: string;
  signature: Hex;
}

export function usageReceiptToJson({ receipt: r, signature }: SignedUsageReceipt): UsageReceiptJson {
  return {
    requestId: r.requestId,
    modelId: r.modelId,
    account: r.account,
    deployment: r.deployment,
    inputTokens: r.inputTokens.toString(),
    outputTokens: r.outputTokens.toString(),
    costMicroUsd: r.costMicroUsd.toString(),
    timestamp: r.timestamp.toString(),
    signature,
  };
}

/** Parses the JSON form, refusing anything that is not exactly a receipt. */
export function usageReceiptFromJson(json: unknown): SignedUsageReceipt {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new Error("a usage receipt must be a JSON object");
  const o = json as Record<string, unknown>;
  const text = (field: keyof UsageReceiptJson): string => {
    const v = o[field];
    if (typeof v !== "string") throw new Error(`usage receipt: ${field} must be a string`);
    return v;
  };
  const integer = (field: keyof UsageReceiptJson): bigint => {
    const v = text(field);
    if (!/^(0|[1-9][0-9]*)$/.test(v)) throw new Error(`usage receipt: ${field} must be a decimal integer string, got ${JSON.stringify(v)}`);
    return BigInt(v);
  };
  const signature = text("signature");
  if (!isHex(signature) || signature.length !== 132) throw new Error("usage receipt: signature must be 65 bytes of 0x-hex");
  const receipt: UsageReceipt = {
    requestId: text("requestId"),
    modelId: text("modelId"),
    account: text("account"),
    deployment: text("deployment") as Address,
    inputTokens: integer("inputTokens"),
    outputTokens: integer("outputTokens"),
    costMicroUsd: integer("costMicroUsd"),
    timestamp: integer("timestamp"),
  };
  try {
    checkUsageReceipt(receipt);
  } catch (e) {
    throw new Error(`usage receipt: ${(e as Error).message.replace(/^receipt /, "")}`);
  }
  return { receipt, signature };
}

/** The compact form of the `x-fomo-receipt` header and the `fomo_receipt` stream field: base64url of the JSON form. */
export function encodeUsageReceipt(signed: SignedUsageReceipt): string {
  return Buffer.from(JSON.stringify(usageReceiptToJson(signed))).toString("base64url");
}

export function decodeUsageReceipt(encoded: string): SignedUsageReceipt {
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) throw new Error("usage receipt: not base64url");
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw new Error("usage receipt: not base64url-encoded JSON");
  }
  return usageReceiptFromJson(json);
}

// ------------------------------------------------------------------ the usage tree

/** StandardMerkleTree's leaf encoding of a receipt: its EIP-712 struct hash. */
export const USAGE_LEAF_ENCODING = ["bytes32"] as const;

/** keccak256(bytes.concat(keccak256(abi.encode(hashStruct(receipt))))): abi.encode of a bytes32 is the 32 bytes. */
export function usageReceiptLeaf(r: UsageReceipt): Hex {
  return bytesToHex(usageReceiptLeafBytes(r));
}

/** usageReceiptLeaf as bytes: for packing leaves (standardRootOfPacked) without a hex string each. */
export function usageReceiptLeafBytes(r: UsageReceipt): Uint8Array {
  return standardLeafHash(structHashBytes(r));
}

export interface UsageTree {
  /** What reportRevenue commits as usageRoot (zeroHash with no receipts). */
  root: Hex;
  /** Receipts in the order given. */
  receipts: readonly UsageReceipt[];
  /** The proof of the receipt with this request id; undefined if it is not a leaf. */
  proof(requestId: string): Hex[] | undefined;
}

/** The tree of one epoch's receipts (of one deployment); two receipts with one request id are refused. */
export function buildUsageTree(receipts: readonly UsageReceipt[]): UsageTree {
  const index = new Map<string, number>();
  receipts.forEach((r, i) => {
    if (index.has(r.requestId)) throw new Error(`two receipts for request ${r.requestId}`);
    index.set(r.requestId, i);
  });
  const tree = buildStandardTree(receipts.map((r) => standardLeafHash(structHashBytes(r))));
  return {
    root: tree.root,
    receipts,
    proof(requestId) {
      const i = index.get(requestId);
      return i === undefined ? undefined : tree.proof(i);
    },
  };
}

/** True if `proof` links `receipt`'s leaf to `root` (what MerkleProof.verify would say on chain). */
export function verifyUsageProof(root: Hex, receipt: UsageReceipt, proof: readonly Hex[]): boolean {
  try {
    return verifyStandardProof(root, standardLeafHash(structHashBytes(receipt)), proof);
  } catch {
    return false; // a malformed receipt or proof proves nothing
  }
}

/**
 * The deployment id of the platform's base models (docs/glossary.md#models): they have
 * no $MT, so where every launched deployment is named by its $MT address, they are all named
 * `"platform"` — in the ledger's usage records, the API's and the staker discount's deployment.
 */
export const PLATFORM_DEPLOYMENT = "platform";

/**
 * The same id where a receipt needs an address: the zero address, which no $MT can have, so a
 * receipt of a base model can never be proven against a deployment's usage root.
 */
export const PLATFORM_RECEIPT_DEPLOYMENT: Address = zeroAddress;
