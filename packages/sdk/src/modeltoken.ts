// Where a launch's $MT will live. ModelTokenFactory deploys every $MT with CREATE2, so its address
// (and with it the $MT/FLOCK Uniswap pair's) is known before the launch transaction is sent.
import { encodeAbiParameters, getContractAddress, numberToHex, type Address, type PublicClient } from "viem";
import { launchpadAddress, type BlockOptions, type LaunchpadRef } from "./client.ts";
import { launchpadAbi, modelTokenCreationCode, modelTokenFactoryAbi } from "./generated/abis.ts";

export interface ModelTokenSeed {
  /** The ModelTokenFactory. */
  factory: Address;
  /** Who asks the factory for the token: the launchpad, which becomes its only minter. */
  minter: Address;
  /** How many tokens the factory made for `minter` before this one (`tokensMadeFor(minter)`). */
  nonce: bigint;
  name: string;
  ticker: string;
}

/**
 * The $MT address ModelTokenFactory.deployToken gives: CREATE2 from the factory, salt = the
 * minter's nonce, init code = ModelToken's creation code + abi.encode(minter, name, ticker).
 */
export function modelTokenAddress({ factory, minter, nonce, name, ticker }: ModelTokenSeed): Address {
  const args = encodeAbiParameters([{ type: "address" }, { type: "string" }, { type: "string" }], [minter, name, ticker]);
  return getContractAddress({
    opcode: "CREATE2",
    from: factory,
    salt: numberToHex(nonce, { size: 32 }),
    bytecode: `${modelTokenCreationCode}${args.slice(2)}`,
  });
}

/** Parameters of {@link predictModelTokenAddress}. */
export type PredictModelTokenAddressParameters = { name: string; ticker: string } & BlockOptions;
/** What {@link predictModelTokenAddress} returns. */
export type PredictModelTokenAddressReturnType = Address;

/**
 * The $MT address the launchpad's next launch with this name and ticker gets, read against the
 * given block (default latest). Another launch landing first takes this address's nonce: then the
 * launch gets the next one (read its `Launched` event for the real address).
 *
 * @example
 * const mt = await predictModelTokenAddress(publicClient, deployments, { name: "Good Model", ticker: "GOOD" });
 */
export async function predictModelTokenAddress(
  client: PublicClient,
  ref: LaunchpadRef,
  { name, ticker, ...block }: PredictModelTokenAddressParameters,
): Promise<PredictModelTokenAddressReturnType> {
  const launchpad = launchpadAddress(ref);
  const factory = await client.readContract({ address: launchpad, abi: launchpadAbi, functionName: "tokenFactory", ...block });
  const nonce = await client.readContract({
    address: factory,
    abi: modelTokenFactoryAbi,
    functionName: "tokensMadeFor",
    args: [launchpad],
    ...block,
  });
  return modelTokenAddress({ factory, minter: launchpad, nonce, name, ticker });
}
