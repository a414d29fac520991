// A local chain to develop and test against: a node child process on a loopback port, FOMO deployed
// on it by deployLocal, and the dev accounts funded with test FLOCK and USDC. `./fomo up` and the
// tests that need a chain over real JSON-RPC (the gateway's) share it.
//
// Two nodes, for two needs. Tests run `hardhat node` (fresh every time; they use its hardhat_* methods).
// `./fomo up` persists its chain across restarts (`persist`): Hardhat's node cannot save its state, so
// that chain is anvil's (from npm, @foundry-rs/anvil), whose `--state FILE` loads the chain (blocks,
// receipts, logs, accounts) at start and dumps it at exit and every few seconds.
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { createPublicClient, createWalletClient, http, toHex, type Address, type PublicClient, type Transport } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { FLOCK, localTokenAbi, usdToTokenUnits, withGasMargin, type Deployments } from "@fomo/sdk";
import { readDeployments, writeDeployments } from "@fomo/sdk/node";
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
  /**
   * Keep the chain across restarts (anvil): its state in `dir` and its deployments in `deploymentsFile`.
   * When both exist the chain is loaded from them and nothing is deployed; when neither does, FOMO is
   * deployed and both are written; one without the other is refused (ChainStateMismatch).
   */
  persist?: { dir: string; deploymentsFile: string };
}

export interface LocalChain {
  url: string;
  deployments: Deployments;
  publicClient: PublicClient;
  /** The funded dev accounts; wallets[0] deployed FOMO and holds its admin roles (unless a timelock does). */
  wallets: Wallet[];
  /** Whether the chain was loaded from `persist` (else FOMO was deployed just now). */
  restored: boolean;
  /** Resolves with the node's exit code when it stops. */
  exited: Promise<number>;
  /** Stops the node; a persisted chain saves its clock first (and anvil its state, as it exits). */
  stop(): Promise<void>;
}

/** A persisted chain that cannot be used as it is: the message says what is wrong. */
export class ChainStateMismatch extends Error {
  override name = "ChainStateMismatch";
}

export async function startLocalChain(opts: LocalChainOptions = {}): Promise<LocalChain> {
  const saved = opts.persist && savedChain(opts.persist);
  const node = opts.persist ? await startAnvilNode({ ...opts, dir: opts.persist.dir }) : await startHardhatNode(opts);
  const { url, publicClient, exited } = node;
  let gone = false;
  void exited.then(() => (gone = true));
  let clockSaved = false;
  const stop = async () => {
    if (opts.persist && !clockSaved && !gone) {
      clockSaved = true;
      await saveClock(publicClient, opts.persist.dir).catch(() => {});
    }
    await node.stop();
  };
  try {
    const wallets = Array.from({ length: opts.accounts ?? 10 }, (_, i) =>
      createWalletClient({ chain: hardhat, transport: node.transport, account: mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i }) }),
    );
    if (saved) {
      await checkRestored(publicClient, saved, opts.persist!);
      await resumeClock(publicClient, opts.persist!.dir);
      return { url, deployments: saved, publicClient, wallets, restored: true, exited, stop };
    }
    const deployer = wallets[0]!;
    const deployments = await deployLocal(publicClient, deployer, opts.deploy);
    const devUsdc = usdToTokenUnits(DEV_FUNDING.usd, deployments.usdcDecimals);
    for (const w of wallets) {
      for (const [token, amount] of [[deployments.contracts.flock, DEV_FUNDING.flock], [deployments.contracts.usdc, devUsdc]] as const) {
        const hash = await deployer.writeContract({ address: token, abi: localTokenAbi, functionName: "mint", args: [w.account.address as Address, amount] });
        await publicClient.waitForTransactionReceipt({ hash });
      }
    }
    if (opts.persist) writeDeployments(opts.persist.deploymentsFile, deployments);
    return { url, deployments, publicClient, wallets, restored: false, exited, stop };
  } catch (e) {
    clockSaved = true; // a chain that failed to start has no clock worth keeping
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
  /** The transport publicClient uses, for wallet clients on the node. */
  transport: Transport;
  /** Resolves with the node's exit code when it stops. */
  exited: Promise<number>;
  stop(): Promise<void>;
}

export async function startHardhatNode(opts: HardhatNodeOptions = {}): Promise<HardhatNode> {
  const extra = [...(opts.fork ? ["--fork", opts.fork] : []), ...(opts.chainId !== undefined ? ["--chain-id", String(opts.chainId)] : [])];
  return startNode(opts, (port) => [HARDHAT_BIN, ["node", "--hostname", "127.0.0.1", "--port", String(port), ...extra]], (url) => http(url));
}

/** anvil on a fresh or saved chain (state in `dir`): Hardhat's dev chain (chain id 31337, the dev mnemonic). */
async function startAnvilNode(opts: Omit<HardhatNodeOptions, "fork" | "chainId"> & { dir: string; accounts?: number }): Promise<HardhatNode> {
  return startNode(opts, (port) => [anvilBinary(), anvilArgs(port, opts.dir, opts.accounts ?? 10)], (url) => gasMarginTransport(http(url)));
}

/** A node child process on a loopback port (`command` gets the port), answering JSON-RPC. */
async function startNode(
  opts: Pick<HardhatNodeOptions, "port" | "logFile" | "startTimeoutMs">,
  command: (port: number) => [string, string[]],
  transportOf: (url: string) => Transport,
): Promise<HardhatNode> {
  const port = opts.port === 0 ? await freePort() : (opts.port ?? 8545);
  const url = `http://127.0.0.1:${port}`;
  const probe = createPublicClient({ transport: http(url, { retryCount: 0 }) });
  if (await probe.getChainId().then(() => true, () => false)) {
    throw new Error(`something already answers JSON-RPC on ${url}: stop it or pick another port`);
  }

  // Appended to: a persisted chain's log runs on across its restarts.
  const out = opts.logFile ? openSync(opts.logFile, "a") : "ignore";
  const [bin, args] = command(port);
  const node = spawn(bin, args, { cwd: CONTRACTS_DIR, stdio: ["ignore", out, out] });
  if (typeof out === "number") closeSync(out);
  const exited = new Promise<number>((done) => node.once("exit", (code) => done(code ?? 0)));
  const stop = async () => {
    if (node.exitCode === null && node.signalCode === null) node.kill("SIGTERM");
    await exited;
  };
  try {
    const transport = transportOf(url);
    const publicClient = createPublicClient({ chain: hardhat, transport }) as PublicClient;
    await waitForRpc(publicClient, opts.startTimeoutMs ?? 30_000, exited);
    return { url, publicClient, transport, exited, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Gas estimates with the SDK's margin (withGasMargin), for the clients this module gives out (the
 * stack's own senders, which send without the SDK's write too). Hardhat's node gives each block a second more than the last;
 * anvil gives every block mined within one second that second. So on anvil a transaction estimated in
 * one second (a pair last touched in the same second: Uniswap's price accumulators skip their update)
 * and mined in the next (they run) needs more gas than its exact estimate: the deployment's first
 * oracle observation, right after the pool's liquidity, ran out of gas now and then.
 */
function gasMarginTransport(inner: Transport): Transport {
  return (config) => {
    const transport = inner(config);
    return {
      ...transport,
      async request(args: { method: string; params?: unknown }) {
        const result = await transport.request(args);
        return args.method === "eth_estimateGas" ? toHex(withGasMargin(BigInt(result as string))) : result;
      },
    } as ReturnType<Transport>;
  };
}

/** The anvil binary of this platform, from the npm package's platform-specific half. */
function anvilBinary(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`;
  try {
    return join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), "bin", "anvil");
  } catch {
    throw new Error(`anvil for ${process.platform}-${process.arch} is not installed (npm package ${pkg}): run npm ci`);
  }
}

/** The state file and the clock file of a persisted chain. */
const stateFile = (dir: string) => join(dir, "state.json");
const clockFile = (dir: string) => join(dir, "clock.json");

/** Hardhat's dev chain, as anvil: chain id 31337, the dev mnemonic's accounts, state kept in `dir`. */
function anvilArgs(port: number, dir: string, accounts: number): string[] {
  mkdirSync(dir, { recursive: true });
  return [
    "--host", "127.0.0.1", "--port", String(port), "--chain-id", String(hardhat.id),
    "--mnemonic", DEV_MNEMONIC, "--accounts", String(accounts),
    // Dumped at exit and every 5 s, so a crash loses seconds. Blocks, receipts and logs are kept, the
    // state of past blocks is not (it would grow the file by megabytes a block): after a restart,
    // calls at a block mined before it are not answered, calls at later blocks and logs are.
    "--state", stateFile(dir), "--state-interval", "5",
  ];
}

/** The deployments of a persisted chain, undefined for a new one; half a saved chain is refused. */
function savedChain({ dir, deploymentsFile }: { dir: string; deploymentsFile: string }): Deployments | undefined {
  const hasState = existsSync(stateFile(dir));
  const hasDeployments = existsSync(deploymentsFile);
  if (!hasState && !hasDeployments) return undefined;
  if (!hasState) throw new ChainStateMismatch(`${deploymentsFile} names contracts of a chain whose state is gone (no ${stateFile(dir)})`);
  if (!hasDeployments) throw new ChainStateMismatch(`the chain state ${stateFile(dir)} has no deployments file (${deploymentsFile})`);
  return readDeployments(deploymentsFile);
}

/** The loaded chain must be the one the deployments were made on: the launchpad has code there. */
async function checkRestored(client: PublicClient, d: Deployments, persist: { dir: string; deploymentsFile: string }): Promise<void> {
  const code = await client.getCode({ address: d.contracts.launchpad });
  if (!code || code === "0x") {
    throw new ChainStateMismatch(`the chain loaded from ${stateFile(persist.dir)} has no Launchpad at ${d.contracts.launchpad} (${persist.deploymentsFile})`);
  }
}

/**
 * The chain's clock is not in anvil's state: a loaded chain restarts at the wall clock, which may be
 * before its last block when time was advanced (evm_increaseTime). So the stop records how far the
 * chain's clock ran ahead of the wall clock, and the start puts that lead back (at least one second
 * past the last block), so block times never go backwards and the time that passed while stopped
 * passes on the chain too. A node that stopped first (a Ctrl-C on the terminal reaches the whole
 * process group at once) records nothing: its chain resumes one second past its last block.
 */
async function saveClock(client: PublicClient, dir: string): Promise<void> {
  await client.request({ method: "evm_mine" as never, params: [] as never });
  const { timestamp } = await client.getBlock({ blockTag: "latest" });
  const aheadSeconds = Number(timestamp) - Math.floor(Date.now() / 1_000);
  writeFileSync(clockFile(dir), `${JSON.stringify({ aheadSeconds })}\n`);
}

async function resumeClock(client: PublicClient, dir: string): Promise<void> {
  let ahead = 0;
  try {
    ahead = (JSON.parse(readFileSync(clockFile(dir), "utf8")) as { aheadSeconds: number }).aheadSeconds;
  } catch {
    // No clock saved (the chain was not stopped cleanly): the last block's time is the floor.
  }
  const now = Math.floor(Date.now() / 1_000);
  const last = Number((await client.getBlock({ blockTag: "latest" })).timestamp);
  const lead = Math.max(ahead, last + 1 - now);
  if (lead > 0) await client.request({ method: "evm_increaseTime" as never, params: [lead] as never });
  await client.request({ method: "evm_mine" as never, params: [] as never });
  rmSync(clockFile(dir), { force: true }); // used: only the next clean stop's record may be trusted
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
