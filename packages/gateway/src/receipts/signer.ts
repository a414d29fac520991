// Signs the usage receipt of every usage record (docs/api.md, "Usage receipts"). The receipt is built
// from the record alone, so it can be signed again at any time and gives the same signature
// (RFC 6979): a record settled without one (crash reconcile) gets it on demand.
import {
  PLATFORM_DEPLOYMENT,
  PLATFORM_RECEIPT_DEPLOYMENT,
  encodeUsageReceipt,
  signUsageReceipt,
  type SignedUsageReceipt,
  type UsageReceipt,
  type UsageReceiptDomain,
} from "@fomo/sdk";
import { getAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { usageReceiptOf, type Ledger, type UsageRecord } from "@fomo/ledger";
import { SigningThread } from "./signing-thread.ts";
import type { DigestSigner } from "./wasm-signer.ts";

export interface ReceiptSignerOptions {
  /** A receipt that could not be signed while settling (the charge stands; the receipt can be signed later). */
  onError?: (error: unknown, record: UsageRecord) => void;
  /**
   * The account's private key: sign on a worker thread (signing-thread.ts), off the event loop.
   * Without it, or once that thread is closed or dead, receipts are signed on the calling thread.
   */
  threadKey?: Hex;
}

export class ReceiptSigner {
  readonly #account: DigestSigner;
  readonly #onError: ReceiptSignerOptions["onError"];
  readonly #thread: SigningThread | undefined;
  readonly domain: UsageReceiptDomain;

  /** `account` signs on the calling thread: a viem account, or wasmSigner(key) for speed. */
  constructor(account: DigestSigner, domain: UsageReceiptDomain, options: ReceiptSignerOptions = {}) {
    this.#account = account;
    this.domain = domain;
    this.#onError = options.onError;
    if (options.threadKey !== undefined) {
      // A key of another address would sign receipts that never verify against `address`.
      if (privateKeyToAccount(options.threadKey).address !== account.address) throw new Error("threadKey is not the key of the signing account");
      this.#thread = new SigningThread(options.threadKey, domain);
    }
  }

  /** True while receipts are signed on the worker thread. */
  get threaded(): boolean {
    return this.#thread?.usable === true;
  }

  /** Stops the signing thread, if any (later receipts are signed on the calling thread). */
  async close(): Promise<void> {
    await this.#thread?.close();
  }

  /** The address receipts verify against (publish it; the key stays here). */
  get address(): Address {
    return this.#account.address;
  }

  /** Signature of a record's receipt. */
  sign(record: UsageRecord): Promise<Hex> {
    const receipt = usageReceiptOf(record);
    if (this.#thread?.usable) return this.#thread.sign(receipt);
    return signUsageReceipt(this.#account, this.domain, receipt);
  }

  /** Metering.settle's `seal`: never fails a settle, whose charge must stand (null: no signature yet). */
  readonly seal = async (record: UsageRecord): Promise<Hex | null> => {
    try {
      return await this.sign(record);
    } catch (error) {
      this.#onError?.(error, record);
      return null;
    }
  };

  /** The compact form of a record's receipt with its stored signature (x-fomo-receipt, fomo_receipt); undefined without one. */
  compact(record: UsageRecord): string | undefined {
    if (record.receiptSignature === null) return undefined;
    return encodeUsageReceipt({ receipt: usageReceiptOf(record), signature: record.receiptSignature as Hex });
  }

  /** The record's signed receipt: its stored signature, or signed now and stored (once) if it has none. */
  async signed(ledger: Ledger, record: UsageRecord): Promise<SignedUsageReceipt> {
    const receipt = usageReceiptOf(record);
    if (record.receiptSignature !== null) return { receipt, signature: record.receiptSignature as Hex };
    const signature = await this.sign(record);
    await ledger.usage.setReceiptSignature(record.requestId, signature);
    return { receipt, signature };
  }
}
