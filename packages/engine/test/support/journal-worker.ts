// A keeper process for the journal's crash tests:
//   node journal-worker.ts DB RPC KEY_HEX TOKEN JOURNAL_KEY CRASH FUNCTION ARG...
// calls FUNCTION(ARG...) on the local TOKEN through the journal under JOURNAL_KEY (an ARG of digits is
// a uint256, any other an address); CRASH "after-persist" or "after-send" SIGKILLs the process at that
// point (the journal's hooks), "none" lets it finish.
import { openDatabase } from "@fomo/ledger";
import { localTokenAbi, write } from "@fomo/sdk";
import { createPublicClient, createWalletClient, http, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { TxJournal } from "../../src/index.ts";

const [target, rpcUrl, privateKey, token, key, crash, functionName, ...args] = process.argv.slice(2) as [
  string, string, Hex, Address, string, "after-persist" | "after-send" | "none", "mint" | "transferFrom", ...string[],
];
const db = await openDatabase(target, { poolSize: 2 });
const account = privateKeyToAccount(privateKey);
const publicClient = createPublicClient({ chain: hardhat, transport: http(rpcUrl) }) as PublicClient;
const wallet = createWalletClient({ chain: hardhat, transport: http(rpcUrl), account });
const die = () => process.kill(process.pid, "SIGKILL");
const journal = new TxJournal({
  db, publicClient, account, chainId: hardhat.id,
  hooks: { afterPersist: crash === "after-persist" ? die : undefined, afterSend: crash === "after-send" ? die : undefined },
});
const callArgs = args.map((arg) => (/^\d+$/.test(arg) ? BigInt(arg) : arg));
// The test picks the function; the ABI checks it at run time (simulation) like any other call.
await write({ public: publicClient, wallet }, token, localTokenAbi, functionName as "mint", callArgs as [Address, bigint], { sender: journal.sender(key) });
await db.destroy();
