// A local chain to develop and test against: a `hardhat node` child process on a loopback port,
// FOMO deployed on it by deployLocal, and the dev accounts funded with test FLOCK and USDC.
// `./fomo up` and the tests that need a chain over real JSON-RPC (the gateway's) share it.
import { spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { createPublicClient, createWalletClient, http, type Address, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { FLOCK, localTokenAbi, usdToTokenUnits, type Deployments } from "@fomo/sdk";
import { deployLocal, type LocalDeployOptions, type Wallet } from "./local.ts";
import { CONTRACTS_DIR, HARDHAT_BIN } from "./paths.ts";

/** Hardhat's public development mnemonic: its accounts are funded on every local node and known to everyone. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
/** What each dev account gets, so a supporter can buy at once: FLOCK in wei, USDC in whole USD. */
export const DEV_FUNDING = { flock: 10_000_000n * FLOCK, usd: 1_000_000n } as const;

export interface LocalChainOptions extends Omit<HardhatNodeOptions, "fork" | "chainId"> {
  /** Dev accounts made wallets and funded (the first deploys); default 10. */
  accounts?: number;
  /** Passed to deployLocal (e.g. timelockDelay for governance through a timelock). */
  deploy?: LocalDeployOptions;
}

export interface LocalChain {
  url: string;
  deployments: Deployments;
  publicClient: PublicClient;
  /** The funded dev accounts; wallets[0] deployed FOMO and holds its admin roles (unless a timelock does). */
  wallets: Wallet[];
  /** Resolves with the node's exit code when it stops. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

export async function startLocalChain(opts: LocalChainOptions = {}): Promise<LocalChain> {
  const node = await startHardhatNode(opts);
  const { url, publicClient, exited, stop } = node;
  try {
    const wallets = Array.from({ length: opts.accounts ?? 10 }, (_, i) =>
      createWalletClient({ chain: hardhat, transport: http(url), account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }) }),
    );
    const deployer = wallets[0]!;
    const deployments = await deployLocal(publicClient, deployer, opts.deploy);
    const devUsdc = usdToTokenUnits(DEV_FUNDING.usd, deployments.usdcDecimals);
    for (const w of wallets) {
      for (const [token, amount] of [[deployments.contracts.flock, DEV_FUNDING.flock], [deployments.contracts.usdc, devUsdc]] as const) {
        const hash = await deployer.writeContract({ address: token, abi: localTokenAbi, functionName: "mint", args: [w.account.address as Address, amount] });
        await publicClient.waitForTransactionReceipt({ hash });
      }
    }
    return { url, deployments, publicClient, wallets, exited, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

export interface HardhatNodeOptions {
  /** JSON-RPC port; 0 picks a free one. Default 8545. */
  port?: number;
  /** Where the node's output goes; discarded when absent. */
  logFile?: string;
  /** Fork this JSON-RPC URL (a rehearsal of a deployment on the network's own state). */
  fork?: string;
  /** The chain id the node reports (a fork's must be the network's, so its signatures verify). */
  chainId?: number;
  /** How long the node may take to answer; default 30 s. */
  startTimeoutMs?: number;
}

/** A bare `hardhat node` (nothing deployed): a fresh chain, or a fork of another. */
export interface HardhatNode {
  url: string;
  publicClient: PublicClient;
  /** Resolves with the node's exit code when it stops. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

export async function startHardhatNode(opts: HardhatNodeOptions = {}): Promise<HardhatNode> {
  const port = opts.port === 0 ? await freePort() : (opts.port ?? 8545);
  const url = `http://127.0.0.1:${port}`;
  const probe = createPublicClient({ transport: http(url, { retryCount: 0 }) });
  if (await probe.getChainId().then(() => true, () => false)) {
    throw new Error(`something already answers JSON-RPC on ${url}: stop it or pick another port`);
  }

  const out = opts.logFile ? openSync(opts.logFile, "w") : "ignore";
  const extra = [...(opts.fork ? ["--fork", opts.fork] : []), ...(opts.chainId !== undefined ? ["--chain-id", String(opts.chainId)] : [])];
  const node = spawn(HARDHAT_BIN, ["node", "--hostname", "127.0.0.1", "--port", String(port), ...extra], {
    cwd: CONTRACTS_DIR,
    stdio: ["ignore", out, out],
  });
  if (typeof out === "number") closeSync(out);
  const exited = new Promise<number>((done) => node.once("exit", (code) => done(code ?? 0)));
  const stop = async () => {
    if (node.exitCode === null && node.signalCode === null) node.kill("SIGTERM");
    await exited;
  };
  try {
    const publicClient = createPublicClient({ chain: hardhat, transport: http(url) }) as PublicClient;
    await waitForRpc(publicClient, opts.startTimeoutMs ?? 30_000, exited);
    return { url, publicClient, exited, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

async function waitForRpc(client: PublicClient, timeoutMs: number, exited: Promise<number>): Promise<void> {
  let gone: number | undefined;
  void exited.then((code) => (gone = code));
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (gone !== undefined) throw new Error(`the local chain exited (code ${gone}) before answering`);
    try {
      await client.getChainId();
      return;
    } catch {
      if (Date.now() > until) throw new Error(`the local chain did not answer within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** A port free now on loopback (the OS picks it; the node binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
