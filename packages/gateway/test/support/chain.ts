// A real local chain for end-to-end tests: `hardhat node` as a child process (as `fomo up` runs it),
// FOMO deployed on it by deployLocal, and a graduated offering whose $MT the gateway can serve.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { deployLocal } from "@fomo/deploy";
import { FLOCK, buy, launch, localTokenAbi, type Clients, type Deployments } from "@fomo/sdk";
import { createPublicClient, createWalletClient, http, maxUint256, type Address, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";

const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
// Hardhat's public development mnemonic: the accounts every local node funds.
const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export interface LocalChain {
  url: string;
  d: Deployments;
  /** The deployer: admin, operator and keeper of the deployment. */
  keeper: Clients;
  close(): Promise<void>;
}

/** Starts `hardhat node` on a free port and deploys FOMO on it. */
export async function startChain(): Promise<LocalChain> {
  const node: ChildProcess = spawn(join(ROOT, "node_modules/.bin/hardhat"), ["node", "--hostname", "127.0.0.1", "--port", "0"], {
    cwd: join(ROOT, "contracts"),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  node.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const exited = once(node, "exit");
  try {
    const url = await listeningUrl(node, () => output);
    const transport = http(url);
    const publicClient = createPublicClient({ chain: hardhat, transport }) as PublicClient;
    const wallet = createWalletClient({ chain: hardhat, transport, account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 0 }) });
    const d = await deployLocal(publicClient, wallet);
    return {
      url,
      d,
      keeper: { public: publicClient, wallet },
      async close() {
        node.kill("SIGTERM");
        await exited;
      },
    };
  } catch (error) {
    node.kill("SIGTERM");
    throw error;
  }
}

/** The URL the node prints once it serves JSON-RPC (it picks the port: no race for a free one). */
async function listeningUrl(node: ChildProcess, stderr: () => string): Promise<string> {
  for await (const line of createInterface({ input: node.stdout! })) {
    // eslint-disable-next-line no-control-regex
    const match = /JSON-RPC server at (http:\/\/[^\s/]+)/.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
    if (match) return match[1]!;
  }
  throw new Error(`hardhat node exited before listening:\n${stderr()}`);
}

/** Launches an offering of template 0 and buys it past raiseMax, which graduates it; returns its $MT. */
export async function graduatedMt(chain: LocalChain, ticker: string): Promise<Address> {
  const clients = chain.keeper;
  const flock = chain.d.contracts.flock;
  const me = clients.wallet.account.address;
  const send = async (functionName: "mint" | "approve", args: readonly [Address, bigint]) => {
    const hash = await clients.wallet.writeContract({ address: flock, abi: localTokenAbi, functionName, args });
    await clients.public.waitForTransactionReceipt({ hash });
  };
  await send("mint", [me, 2_000_000n * FLOCK]);
  await send("approve", [chain.d.contracts.launchpad, maxUint256]);
  const { mt } = await launch(clients, chain.d, { templateId: 0, name: "Receipts Model", ticker });
  // Past the anti-snipe window, so the buy's fee is the base fee.
  await clients.public.request({ method: "evm_increaseTime" as never, params: [2 * 3_600] as never });
  const bought = await buy(clients, chain.d, { mt, flockIn: 1_100_000n * FLOCK });
  if (!bought.graduated) throw new Error("the offering did not graduate");
  return mt;
}
