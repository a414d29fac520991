// Deploys FOMO with everything it needs on a fresh local chain: test FLOCK and USDC, WETH9 and
// Uniswap V2 (factory + router, as shipped on npm), the protocol and the default template catalog.
// The same function serves `./fomo up`, the tests and the gas benchmark.
import { getAddress, type Abi, type Account, type Address, type Chain, type Hex, type PublicClient, type Transport, type WalletClient } from "viem";
import {
  defaultCatalog,
  incentivePoolAbi,
  launchpadAbi,
  LAUNCH_FEE,
  localTokenAbi,
  templateRegistryAbi,
  uniswapV2FactoryAbi,
  uniswapV2Router02Abi,
  type Deployments,
  type TemplateSpec,
} from "@fomo/sdk";
import { bytecodeOf, type ContractName } from "./artifacts.ts";

export type Wallet = WalletClient<Transport, Chain, Account>;

export interface LocalDeployOptions {
  /** Governance and catalog manager; defaults to the wallet's account. */
  admin?: Address;
  treasury?: Address;
  hostingReserve?: Address;
  launchFee?: bigint;
  catalog?: TemplateSpec[];
  /** Progress lines, e.g. console.error. */
  log?: (line: string) => void;
}

export async function deployLocal(
  publicClient: PublicClient,
  wallet: Wallet,
  opts: LocalDeployOptions = {},
): Promise<Deployments> {
  const log = opts.log ?? (() => {});
  const me = wallet.account.address;
  const admin = opts.admin ?? me;
  const treasury = opts.treasury ?? me;
  const hostingReserve = opts.hostingReserve ?? treasury;

  const send = async (what: string, hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} reverted (tx ${hash})`);
    return receipt;
  };
  const deploy = async (name: ContractName, abi: Abi, args: readonly unknown[] = []) => {
    const hash = await wallet.deployContract({ abi, bytecode: bytecodeOf(name), args });
    const receipt = await send(`deploy ${name}`, hash);
    log(`  ${name.padEnd(18)} ${receipt.contractAddress}`);
    return { address: getAddress(receipt.contractAddress!), block: receipt.blockNumber };
  };

  log("deploying FOMO to chain " + (await publicClient.getChainId()));
  const flock = await deploy("LocalToken", localTokenAbi, ["Flock (local)", "FLOCK", 18]);
  const usdc = await deploy("LocalToken", localTokenAbi, ["USD Coin (local)", "USDC", 6]);
  const weth = await deploy("WETH9", []);
  const factory = await deploy("UniswapV2Factory", uniswapV2FactoryAbi, [admin]);
  const router = await deploy("UniswapV2Router02", uniswapV2Router02Abi, [factory.address, weth.address]);
  const registry = await deploy("TemplateRegistry", templateRegistryAbi, [me]);
  const tokenImpl = await deploy("ModelToken", []);
  const vestingImpl = await deploy("OperatorVesting", []);
  const pool = await deploy("IncentivePool", incentivePoolAbi, [flock.address, me]);
  const launchpad = await deploy("Launchpad", launchpadAbi, [
    flock.address,
    registry.address,
    factory.address,
    pool.address,
    tokenImpl.address,
    vestingImpl.address,
    treasury,
    hostingReserve,
    opts.launchFee ?? LAUNCH_FEE,
    me,
  ]);

  const read = <T>(address: Address, abi: Abi, functionName: string) =>
    publicClient.readContract({ address, abi, functionName }) as Promise<T>;
  const write = async (what: string, address: Address, abi: Abi, functionName: string, args: readonly unknown[]) =>
    send(what, await wallet.writeContract({ address, abi, functionName, args }));

  const catalogRole = await read<Hex>(registry.address, templateRegistryAbi, "CATALOG_ROLE");
  const funderRole = await read<Hex>(pool.address, incentivePoolAbi, "FUNDER_ROLE");
  const pauserRole = await read<Hex>(launchpad.address, launchpadAbi, "PAUSER_ROLE");
  await write("grant FUNDER_ROLE", pool.address, incentivePoolAbi, "grantRole", [funderRole, launchpad.address]);
  await write("grant CATALOG_ROLE", registry.address, templateRegistryAbi, "grantRole", [catalogRole, me]);

  for (const t of opts.catalog ?? defaultCatalog) {
    await write(`add template ${t.baseModelId}`, registry.address, templateRegistryAbi, "addTemplate", [
      t.baseModelId,
      t.hostingTier,
      t.sale,
      t.allocation,
      t.pricing,
    ]);
    log(`  template ${t.baseModelId} (${t.hostingTier})`);
  }

  // Hand governance to `admin` and drop the deployer's powers when they differ.
  if (admin !== me) {
    const adminRole = await read<Hex>(launchpad.address, launchpadAbi, "DEFAULT_ADMIN_ROLE");
    for (const [address, abi] of [
      [registry.address, templateRegistryAbi],
      [pool.address, incentivePoolAbi],
      [launchpad.address, launchpadAbi],
    ] as const) {
      await write("grant admin", address, abi, "grantRole", [adminRole, admin]);
      await write("renounce admin", address, abi, "renounceRole", [adminRole, me]);
    }
    await write("renounce CATALOG_ROLE", registry.address, templateRegistryAbi, "renounceRole", [catalogRole, me]);
    await write("grant CATALOG_ROLE", registry.address, templateRegistryAbi, "grantRole", [catalogRole, admin]);
  }
  await write("grant PAUSER_ROLE", launchpad.address, launchpadAbi, "grantRole", [pauserRole, admin]);

  return {
    chainId: await publicClient.getChainId(),
    startBlock: flock.block.toString(),
    contracts: {
      flock: flock.address,
      usdc: usdc.address,
      weth: weth.address,
      uniswapV2Factory: factory.address,
      uniswapV2Router: router.address,
      templateRegistry: registry.address,
      launchpad: launchpad.address,
      incentivePool: pool.address,
      modelTokenImplementation: tokenImpl.address,
      operatorVestingImplementation: vestingImpl.address,
    },
    roles: { admin, treasury, hostingReserve },
  };
}
