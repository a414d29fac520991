// `fomo up`: the local stack. Today that is a local EVM chain (Hardhat node) with real Uniswap V2
// and the FOMO protocol deployed, test FLOCK/USDC in the dev accounts, and a deployments file the
// SDK reads. Later layers (gateway, keeper, web app) join here.
import { spawn } from "node:child_process";
import { mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { createPublicClient, createWalletClient, http, type Address, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { FLOCK, localTokenAbi, writeDeployments } from "@fomo/sdk";
import { deployLocal } from "@fomo/contracts/deploy";
import type { UpOptions } from "../args.ts";
import { BIN, CONTRACTS, deploymentsPath } from "../paths.ts";

// Hardhat's public development mnemonic: its accounts are funded on every local node and known to everyone.
const DEV_MNEMONIC = "test test test test test test test test test test test junk";
const DEV_ACCOUNTS = 10;

async function waitForRpc(client: PublicClient, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.getChainId();
      return;
    } catch {
      if (Date.now() > until) throw new Error("the local chain did not answer within 30 s");
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Starts the stack; the contracts must be built (main.ts builds first). */
export async function up(opts: UpOptions): Promise<number> {
  const url = `http://127.0.0.1:${opts.port}`;
  const probe = createPublicClient({ transport: http(url, { retryCount: 0 }) });
  if (await probe.getChainId().then(() => true, () => false)) {
    throw new Error(`something already answers JSON-RPC on ${url}: stop it or pass --port`);
  }

  mkdirSync(opts.dataDir, { recursive: true });
  const chainLog = join(opts.dataDir, "chain.log");
  const log = openSync(chainLog, "w");
  process.stderr.write(`[fomo] starting the local chain on ${url} (log: ${chainLog})\n`);
  const chain = spawn(join(BIN, "hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(opts.port)], {
    cwd: CONTRACTS,
    stdio: ["ignore", log, log],
  });
  const stop = () => chain.kill("SIGTERM");
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  const exited = new Promise<number>((resolve) => chain.on("exit", (code) => resolve(code ?? 0)));

  try {
    const publicClient = createPublicClient({ chain: hardhat, transport: http(url) });
    await waitForRpc(publicClient, 30_000);
    const accounts = Array.from({ length: DEV_ACCOUNTS }, (_, i) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }));
    const wallet = createWalletClient({ chain: hardhat, transport: http(url), account: accounts[0]! });
    // Governance is a real TimelockController, with no delay on the local chain (production: days).
    const d = await deployLocal(publicClient as PublicClient, wallet, { timelockDelay: 0, log: (l) => process.stderr.write(l + "\n") });

    // Fill the dev accounts with test FLOCK and USDC so a supporter can buy at once.
    for (const a of accounts) {
      for (const [token, amount] of [[d.contracts.flock, 10_000_000n * FLOCK], [d.contracts.usdc, 1_000_000n * 10n ** 6n]] as const) {
        const hash = await wallet.writeContract({ address: token, abi: localTokenAbi, functionName: "mint", args: [a.address as Address, amount] });
        await publicClient.waitForTransactionReceipt({ hash });
      }
    }
    const file = deploymentsPath(opts.dataDir, d.chainId);
    writeDeployments(file, d);
    process.stderr.write(
      [
        "",
        "FOMO local stack is up",
        `  chain       ${url} (chain id ${d.chainId})`,
        `  launchpad   ${d.contracts.launchpad}`,
        `  registry    ${d.contracts.templateRegistry}`,
        `  FLOCK       ${d.contracts.flock}`,
        `  USDC        ${d.contracts.usdc}`,
        `  Uniswap V2  factory ${d.contracts.uniswapV2Factory}, router ${d.contracts.uniswapV2Router}`,
        `  deployments ${file}`,
        `  dev wallets mnemonic "${DEV_MNEMONIC}" (10 accounts, 10M FLOCK and 1M USDC each)`,
        "Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
  } catch (e) {
    stop();
    throw e;
  }
  return exited;
}
