// The in-process Hardhat chain both test worlds are built on: the launch layer's (fixtures.ts) and
// the token layer's and engine's (engine-fixtures.ts). What needs no Hardhat (durations, events,
// reverts, seeded randomness) is in @fomo/testkit.
import assert from "node:assert/strict";
import { network } from "hardhat";
import type { Hex, TransactionReceipt } from "viem";

/** A fresh chain with its clients and the time and mining helpers every test uses. */
export async function openChain() {
  const conn = await network.create();
  const { viem, networkHelpers } = conn;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();

  /** Waits for a transaction and returns its receipt, failing the test if it reverted. */
  const mined = async (hash: Hex | Promise<Hex>): Promise<TransactionReceipt> => {
    const r = await publicClient.waitForTransactionReceipt({ hash: await hash });
    assert.equal(r.status, "success", `tx reverted: ${await hash}`);
    return r;
  };
  const now = async () => (await publicClient.getBlock()).timestamp;
  const time = networkHelpers.time;
  /** Moves chain time forward by `seconds` (and mines a block). */
  const wait = (seconds: bigint) => time.increase(seconds);
  /** The next transaction is mined exactly at `ts`. */
  const nextAt = (ts: bigint) => time.setNextBlockTimestamp(ts);
  /** Mines an empty block at `ts`. */
  const jumpTo = (ts: bigint) => time.increaseTo(ts);

  return { conn, viem, networkHelpers, time, publicClient, wallets, mined, now, wait, nextAt, jumpTo };
}

export type Chain = Awaited<ReturnType<typeof openChain>>;
/** A funded dev account of the chain, as a viem wallet client. */
export type Wallet = Chain["wallets"][number];
