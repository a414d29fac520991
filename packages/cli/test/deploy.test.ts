// `fomo deploy` against a chain that already has its tokens and its Uniswap V2 (deployed here
// beforehand from the same npm artifacts, as if they were BSC's or Base's): once with a 6-decimal and
// once with an 18-decimal stablecoin. The pre-checks, --dry-run, the refusal without --yes, a run
// killed midway and resumed, the address book, the role audit (the timelock holds every admin role,
// the deployer none), and a launch on the result.
import assert from "node:assert/strict";
import { execFile as execFileCb, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createWalletClient, getAddress, http, parseAbi, parseEther, zeroHash, type Abi, type Address, type Hex, type PublicClient } from "viem";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { bytecodeOf, DEV_MNEMONIC, startHardhatNode, type ContractName, type HardhatNode, type Wallet } from "@fomo/deploy";
import {
  approveFlock,
  buybackExecutorAbi,
  defaultBuybackLimits,
  FLOCK,
  LAUNCH_FEE,
  launch,
  launchpadAbi,
  localTokenAbi,
  timelockControllerAbi,
  uniswapV2FactoryAbi,
  uniswapV2Router02Abi,
  usdToTokenUnits,
  type Deployments,
} from "@fomo/sdk";
import { readDeployments } from "@fomo/sdk/node";
import { CLI_ENV, MAIN } from "./support/fomo.ts";

const execFile = promisify(execFileCb);
const TIMELOCK_DELAY = 2 * 86_400;
const dev = (i: number) => mnemonicToAccount(DEV_MNEMONIC, { addressIndex: i });
const GUARDIAN = dev(3).address;
const KEEPER = dev(4).address;
const TREASURY = dev(5).address;

interface RoleHolding { contract: string; role: string; holders: { address: Address; name?: string }[] }
interface Audit { roles: RoleHolding[]; deployerRoles: string[] }

/** A chain "as if a real network's": FLOCK, a stablecoin of `usdcDecimals`, WETH9, a Uniswap V2 factory and router. */
async function network(usdcDecimals: number, withPool: boolean) {
  const node = await startHardhatNode({ port: 0 });
  const setup = createWalletClient({ chain: hardhat, transport: http(node.url), account: dev(9) }) as Wallet;
  const client = node.publicClient;
  const deployContract = async (name: ContractName, abi: Abi, args: unknown[]) => {
    const hash = await setup.deployContract({ abi, bytecode: bytecodeOf(name), args });
    return getAddress((await client.waitForTransactionReceipt({ hash })).contractAddress!);
  };
  const write = async (address: Address, abi: Abi, functionName: string, args: unknown[]) =>
    client.waitForTransactionReceipt({ hash: await setup.writeContract({ address, abi, functionName, args }) });
  const flock = await deployContract("LocalToken", localTokenAbi, ["Flock", "FLOCK", 18]);
  const usdc = await deployContract("LocalToken", localTokenAbi, ["USD Coin", "USDC", usdcDecimals]);
  const weth = await deployContract("WETH9", [], []);
  const factory = await deployContract("UniswapV2Factory", uniswapV2FactoryAbi, [setup.account.address]);
  const router = await deployContract("UniswapV2Router02", uniswapV2Router02Abi, [factory, weth]);
  const sixDecimalFlock = await deployContract("LocalToken", localTokenAbi, ["Flock?", "FLK6", 6]);
  const fourDecimalUsd = await deployContract("LocalToken", localTokenAbi, ["Dollar?", "USD4", 4]);
  if (withPool) {
    const [f, u] = [1_000_000n * FLOCK, usdToTokenUnits(50_000n, usdcDecimals)];
    await write(flock, localTokenAbi, "mint", [setup.account.address, f]);
    await write(usdc, localTokenAbi, "mint", [setup.account.address, u]);
    await write(flock, localTokenAbi, "approve", [router, f]);
    await write(usdc, localTokenAbi, "approve", [router, u]);
    const deadline = (await client.getBlock()).timestamp + 600n;
    await write(router, uniswapV2Router02Abi, "addLiquidity", [flock, usdc, f, u, f, u, setup.account.address, deadline]);
  }
  // The deployer: a fresh key, funded as an operator would fund it.
  const key = generatePrivateKey();
  const deployer = privateKeyToAccount(key).address;
  await client.request({ method: "hardhat_setBalance" as never, params: [deployer, `0x${parseEther("100").toString(16)}`] as never });
  const dir = mkdtempSync(join(tmpdir(), "fomo-deploy-"));
  const args = (...extra: string[]) => [
    "deploy", "--rpc", node.url, "--flock", flock, "--usdc", usdc, "--router", router,
    "--guardian", GUARDIAN, "--keeper", KEEPER, "--treasury", TREASURY, "--timelock-delay", String(TIMELOCK_DELAY), "--data-dir", dir, ...extra,
  ];
  const env = { ...CLI_ENV, FOMO_PRIVATE_KEY: key, FOMO_KEYSTORE_PASSWORD: "" };
  const runAs = async (privateKey: Hex, ...argv: string[]) => {
    try {
      const { stdout, stderr } = await execFile(process.execPath, [MAIN, ...argv], { env: { ...env, FOMO_PRIVATE_KEY: privateKey }, maxBuffer: 16 << 20 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };
  const run = (...argv: string[]) => runAs(key, ...argv);
  const nonce = () => client.getTransactionCount({ address: deployer });
  const close = async () => {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return { node, client, flock, usdc, weth, factory, router, sixDecimalFlock, fourDecimalUsd, key, deployer, dir, args, run, runAs, nonce, env, close };
}
type Network = Awaited<ReturnType<typeof network>>;

const bookOf = (n: Network) => join(n.dir, "deployments", "31337.json");
const journalOf = (n: Network) => join(n.dir, "deployments", "31337.journal.json");

/** The audit's holders of a role of a contract. */
const holders = (audit: Audit, contract: string, role: string) =>
  audit.roles.find((r) => r.contract === contract && r.role === role)?.holders.map((h) => h.address) ?? assert.fail(`no ${role} on ${contract} in the audit`);

/** What every finished deploy must be: its book, its roles, governance through the timelock. */
async function checkDeployed(n: Network, d: Deployments, audit: Audit, usdcDecimals: number) {
  assert.equal(d.chainId, 31337);
  assert.equal(d.usdcDecimals, usdcDecimals, "the stablecoin's decimals read from the token");
  assert.deepEqual([d.contracts.flock, d.contracts.usdc, d.contracts.uniswapV2Router, d.contracts.uniswapV2Factory, d.contracts.weth],
    [n.flock, n.usdc, n.router, n.factory, n.weth], "the network's own tokens and DEX");
  assert.ok(d.contracts.timelock, "a timelock");
  const timelock = d.contracts.timelock;
  assert.deepEqual(d.roles, { admin: timelock, treasury: TREASURY, hostingReserve: TREASURY, keeper: KEEPER, emissionReserve: TREASURY });
  for (const [id, address] of Object.entries(d.contracts)) {
    const code = await n.client.getCode({ address });
    assert.ok(code && code !== "0x", `${id} has code`);
  }
  assert.equal(await n.client.readContract({ address: timelock, abi: timelockControllerAbi, functionName: "getMinDelay" }), BigInt(TIMELOCK_DELAY));

  assert.deepEqual(audit.deployerRoles, [], "the deployer holds no role");
  for (const contract of ["templateRegistry", "launchpad", "incentivePool", "buybackExecutor", "revenueRouter", "creditDeposits", "rewardsDistributor", "timelock"]) {
    assert.deepEqual(holders(audit, contract, "DEFAULT_ADMIN_ROLE"), [timelock], `${contract}: only the timelock is admin`);
  }
  assert.deepEqual(holders(audit, "templateRegistry", "CATALOG_ROLE"), [timelock]);
  assert.deepEqual(holders(audit, "revenueRouter", "KEEPER_ROLE"), [KEEPER]);
  assert.deepEqual(holders(audit, "rewardsDistributor", "KEEPER_ROLE"), [KEEPER]);
  assert.deepEqual(holders(audit, "rewardsDistributor", "GUARDIAN_ROLE"), [GUARDIAN]);
  assert.deepEqual(holders(audit, "launchpad", "PAUSER_ROLE"), [GUARDIAN]);
  assert.deepEqual(holders(audit, "creditDeposits", "TREASURY_ROLE"), [TREASURY]);
  assert.deepEqual(holders(audit, "incentivePool", "FUNDER_ROLE"), [d.contracts.launchpad]);
  assert.deepEqual(holders(audit, "buybackExecutor", "FUNDER_ROLE"), [d.contracts.revenueRouter]);
  assert.deepEqual(holders(audit, "timelock", "PROPOSER_ROLE"), [GUARDIAN], "the proposer defaults to the guardian");
  assert.deepEqual(holders(audit, "timelock", "EXECUTOR_ROLE"), [GUARDIAN]);
  // The audit is the chain's truth, not the plan's: the deployer really holds nothing.
  for (const r of audit.roles) {
    const address = d.contracts[r.contract as keyof Deployments["contracts"]]!;
    const role = r.role === "DEFAULT_ADMIN_ROLE" ? zeroHash : ((await n.client.readContract({ address, abi: parseAbi([`function ${r.role}() view returns (bytes32)`]), functionName: r.role })) as Hex);
    assert.equal(await n.client.readContract({ address, abi: launchpadAbi, functionName: "hasRole", args: [role, n.deployer] }), false, `${r.contract} ${r.role}`);
  }
  // The buyback's bounds are in the stablecoin's own units.
  const limits = await n.client.readContract({ address: d.contracts.buybackExecutor, abi: buybackExecutorAbi, functionName: "limits" });
  assert.equal(limits[0], defaultBuybackLimits(usdcDecimals).maxSpendPerInterval);

  // A launch works on the result.
  const issuer = createWalletClient({ chain: hardhat, transport: http(n.node.url), account: dev(6) }) as Wallet;
  await n.client.waitForTransactionReceipt({
    hash: await issuer.writeContract({ address: n.flock, abi: localTokenAbi, functionName: "mint", args: [issuer.account.address, 100_000n * FLOCK] }),
  });
  const clients = { public: n.client as PublicClient, wallet: issuer };
  await approveFlock(clients, d, { amount: LAUNCH_FEE + 10_000n * FLOCK });
  const { mt, launched } = await launch(clients, d, { templateId: 0, name: "Deployed Model", ticker: "DPLY", firstBuy: 10_000n * FLOCK });
  assert.equal(launched.creator, issuer.account.address);
  assert.equal(await n.client.readContract({ address: d.contracts.launchpad, abi: launchpadAbi, functionName: "stateOf", args: [mt] }), 1, "raising");
}

describe("fomo deploy on a network with a 6-decimal stablecoin and an existing USDC/FLOCK pool", () => {
  let n: Network;
  let steps = 0;
  /** The addresses the dry run's plan predicted, by contract. */
  let predicted: Record<string, string> = {};
  before(async () => {
    n = await network(6, true);
  });
  after(async () => n?.close());

  it("refuses what is not FLOCK, a stablecoin, a router or the chain named, in one line, before anything", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["--flock", n.sixDecimalFlock], /--flock 0x[0-9a-fA-F]{40} \(FLK6\) has 6 decimals; FLOCK must have 18/],
      [["--usdc", n.fourDecimalUsd], /--usdc 0x[0-9a-fA-F]{40} \(USD4\): unsupported stablecoin decimals 4/],
      [["--router", n.factory], /--router 0x[0-9a-fA-F]{40}: not a Uniswap V2 router \(factory\(\) failed\)/],
      [["--router", n.flock], /--router 0x[0-9a-fA-F]{40}: not a Uniswap V2 router/],
      [["--usdc", KEEPER], /--usdc 0x[0-9a-fA-F]{40}: no contract at this address on chain 31337/],
      [["--chain-id", "56"], /the RPC serves chain 31337 \(local chain\), not chain 56/],
    ];
    for (const [extra, message] of cases) {
      const argv = n.args();
      for (let i = 0; i < extra.length; i += 2) {
        const at = argv.indexOf(extra[i]!);
        if (at >= 0) argv.splice(at, 2);
        argv.push(extra[i]!, extra[i + 1]!);
      }
      const { code, stderr } = await n.run(...argv, "--yes");
      assert.equal(code, 1, stderr);
      assert.match(stderr, message);
      assert.equal(stderr.trim().split("\n").length, 1, `one line: ${stderr}`);
    }
    assert.equal(await n.nonce(), 0, "nothing sent");
    assert.equal(existsSync(journalOf(n)), false, "no journal");
  });

  it("--dry-run prints the plan and the gas, rehearsed on a fork, and sends nothing", async () => {
    const { code, stdout, stderr } = await n.run(...n.args("--dry-run", "--json"));
    assert.equal(code, 0, stderr);
    const doc = JSON.parse(stdout) as {
      dryRun: boolean; plan: { id: string; step: string; address?: string; args: string }[];
      estimate: { gas: string; gasPrice: string; cost: string }; audit: Audit;
    };
    assert.equal(doc.dryRun, true);
    steps = doc.plan.length;
    assert.ok(doc.plan.some((p) => p.step === "deploy TimelockController"));
    assert.ok(doc.plan.some((p) => p.id === "oracle:flockUsdc"), "the existing pool's TWAP is started");
    const launchpad = doc.plan.find((p) => p.step === "deploy Launchpad")!;
    assert.match(launchpad.args, /flock=flock .*treasury=treasury\b/);
    assert.ok(BigInt(doc.estimate.gas) > 10_000_000n, "a whole protocol's gas");
    assert.equal(BigInt(doc.estimate.cost), BigInt(doc.estimate.gas) * BigInt(doc.estimate.gasPrice));
    assert.deepEqual(doc.audit.deployerRoles, [], "the rehearsal leaves the deployer no role");
    const timelock = doc.plan.find((p) => p.step === "deploy TimelockController")!.address;
    for (const contract of ["templateRegistry", "launchpad", "revenueRouter", "rewardsDistributor", "timelock"]) {
      assert.deepEqual(holders(doc.audit, contract, "DEFAULT_ADMIN_ROLE"), [timelock], `rehearsed: the timelock administers ${contract}`);
    }
    predicted = Object.fromEntries(doc.plan.flatMap((p) => (p.address ? [[p.id, p.address]] : [])));
    assert.equal(await n.nonce(), 0, "nothing sent");
    assert.equal(existsSync(journalOf(n)), false, "no journal");
    assert.equal(existsSync(bookPath(n)), false);
  });

  it("refuses to spend without --yes when nobody can answer the prompt", async () => {
    const { code, stderr } = await n.run(...n.args());
    assert.equal(code, 2, stderr);
    assert.match(stderr, /refusing to send \d+ transactions without confirmation: rerun with --yes/);
    assert.equal(await n.nonce(), 0);
  });

  it("refuses a deployer that cannot pay for the plan, before sending anything", async () => {
    const { code, stderr } = await n.runAs(generatePrivateKey(), ...n.args("--yes"));
    assert.equal(code, 1, stderr);
    assert.match(stderr, /the deployer 0x[0-9a-fA-F]{40} has 0 ETH, the deploy needs about 0\.\d+: fund it first/);
    assert.equal(existsSync(journalOf(n)), false, "no journal");
  });

  it("killed midway, a rerun finishes without sending any step twice; the result is governed by the timelock and launches", async () => {
    assert.ok(steps > 0, "the dry run counted the steps");
    const child = spawn(process.execPath, [MAIN, ...n.args("--yes")], { env: n.env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    const killed = new Promise<void>((done) => {
      child.stderr.on("data", (chunk: Buffer) => {
        err += chunk.toString();
        if (/\[12\//.test(err) && child.exitCode === null) child.kill("SIGKILL");
      });
      child.once("exit", () => done());
    });
    await killed;
    assert.match(err, /\[12\//, `the first run got to step 12: ${err}`);
    const sentBefore = await n.nonce();
    assert.ok(sentBefore >= 12 && sentBefore < steps, `killed midway (${sentBefore} of ${steps})`);
    assert.ok(existsSync(journalOf(n)), "a journal");
    assert.equal(existsSync(bookPath(n)), false, "no address book before the end");

    const { code, stdout, stderr } = await n.run(...n.args("--yes", "--json"));
    assert.equal(code, 0, stderr);
    assert.match(stderr, /resuming .*31337\.journal\.json: \d+ of \d+ steps done/);
    assert.equal(await n.nonce(), steps, "one transaction per step of the plan: none sent twice");
    const doc = JSON.parse(stdout) as { deployments: Deployments; audit: Audit };
    const d = readDeployments(bookPath(n));
    assert.deepEqual(d, doc.deployments);
    await checkDeployed(n, d, doc.audit, 6);
    for (const [id, address] of Object.entries(predicted)) {
      assert.equal(d.contracts[id as keyof Deployments["contracts"]], address, `${id} where the plan said`);
    }

    // A rerun of a finished deploy sends nothing and prints the same audit.
    const sent = await n.nonce();
    const again = await n.run(...n.args("--yes", "--json"));
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await n.nonce(), sent);
    assert.deepEqual((JSON.parse(again.stdout) as { audit: Audit }).audit.deployerRoles, []);
  });
});

describe("fomo deploy on a network with an 18-decimal stablecoin and no pool yet", () => {
  let n: Network;
  before(async () => {
    n = await network(18, false);
  });
  after(async () => n?.close());

  it("deploys, hands every admin role to the timelock and prints the role audit", async () => {
    const { code, stdout, stderr } = await n.run(...n.args("--yes"));
    assert.equal(code, 0, stderr);
    assert.match(stdout, /USDC 0x[0-9a-fA-F]{40} \(USDC, 18 decimals\)/);
    assert.match(stdout, /USDC\/FLOCK pair none yet/);
    assert.match(stdout, /role audit:\n/);
    assert.match(stdout, /launchpad\s+PAUSER_ROLE\s+.*guardian/);
    assert.match(stdout, /the deployer holds no role/);
    const json = await n.run(...n.args("--yes", "--json"));
    assert.equal(json.code, 0, json.stderr);
    const doc = JSON.parse(json.stdout) as { audit: Audit };
    await checkDeployed(n, readDeployments(bookPath(n)), doc.audit, 18);
  });
});

const bookPath = bookOf;

describe("fomo deploy's command line", () => {
  const A = "0x" + "11".repeat(20);
  const full = ["--rpc", "http://127.0.0.1:1", "--flock", A, "--usdc", A, "--router", A, "--guardian", A, "--keeper", A, "--treasury", A];
  const without = (flag: string) => {
    const i = full.indexOf(flag);
    return [...full.slice(0, i), ...full.slice(i + 2)];
  };
  it("takes the addresses, a real timelock delay (two days by default) and the switches", async () => {
    const { parseDeployArgs } = await import("../src/commands/deploy.ts");
    const o = parseDeployArgs([...full, "--dry-run", "--json"]);
    assert.equal(o.timelockDelay, 172_800);
    assert.deepEqual([o.dryRun, o.yes, o.json], [true, false, true]);
    assert.equal(o.treasury, getAddress(A));
    assert.equal(o.proposer, undefined, "defaults to the guardian in the plan");
    for (const flag of ["--rpc", "--flock", "--usdc", "--router", "--guardian", "--keeper", "--treasury"]) {
      assert.throws(() => parseDeployArgs(without(flag)), { name: "UsageError", message: new RegExp(`${flag} is required`) }, flag);
    }
    assert.throws(() => parseDeployArgs([...full, "--timelock-delay", "60"]), { name: "UsageError", message: /--timelock-delay: not a whole number ≥ 3600: 60/ });
    assert.throws(() => parseDeployArgs([...full, "--keeper", "0x1234"]), { name: "UsageError", message: /--keeper: not a 0x-prefixed 20-byte address/ });
    assert.throws(() => parseDeployArgs([...full, "--private-key", "0xabc"]), { name: "UsageError", message: /unknown option --private-key/ });
  });
});
