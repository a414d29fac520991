// Events in a transaction receipt, typed by the ABI that emitted them.
import assert from "node:assert/strict";
import { parseEventLogs, type Abi, type ContractEventName, type TransactionReceipt } from "viem";

/** The `eventName` events of `abi` in a receipt, in log order. */
export function eventsOf<const A extends Abi, N extends ContractEventName<A>>(abi: A, receipt: TransactionReceipt, eventName: N) {
  return parseEventLogs({ abi, logs: receipt.logs, eventName });
}

/** The single event `eventName` of `abi` in a receipt. */
export function eventOf<const A extends Abi, N extends ContractEventName<A>>(abi: A, receipt: TransactionReceipt, eventName: N) {
  const logs = eventsOf(abi, receipt, eventName);
  assert.equal(logs.length, 1, `exactly one ${eventName} event`);
  return logs[0]!;
}
