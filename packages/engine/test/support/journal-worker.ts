// A keeper process for the journal's crash tests: `node journal-worker.ts DB RPC KEY_HEX TOKEN JOURNAL_KEY TO AMOUNT CRASH`
// mints AMOUNT of the local TOKEN to TO through the journal under JOURNAL_KEY; CRASH "after-persist" or
// "after-send" SIGKILLs the process at that point (the journal's hooks), "none" lets it finish.
import { openDatabase } from "@fomo/ledger";
import { localTokenAbi, write } from "@fomo/sdk";
import { createPublicClient, createWalletClient, http, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { TxJournal } from "../../src/index.ts";

const [target, rpcUrl, privateKey, token, key, to, amount, crash] = process.argv.slice(2) as [
  string, string, Hex, Address, string, Address, string, "after-persist" | "after-send" | "none",
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
await write({ public: publicClient, wallet }, token, localTokenAbi, "mint", [to, BigInt(amount)], { sender: journal.sender(key) });
await db.destroy();
