// The name, ticker and API model id rules of ModelIds.sol (docs/protocol.md#launch): a name is 1-32
// bytes of printable ASCII, a ticker 1-10 of A-Z and 0-9, and the model id
// `<baseModelId>-<ticker in lower case>`. Refusals carry the error Launchpad.launch reverts with.
import { keccak256, toBytes } from "viem";
import { FomoRejection } from "./errors.ts";

/** Whether `name` is 1-32 bytes of printable ASCII (ModelIds.isValidName). */
export function isValidName(name: string): boolean {
  const b = toBytes(name);
  return b.length >= 1 && b.length <= 32 && b.every((c) => c >= 0x20 && c <= 0x7e);
}

/** Whether `ticker` is 1-10 of A-Z and 0-9. */
export function isValidTicker(ticker: string): boolean {
  return /^[A-Z0-9]{1,10}$/.test(ticker);
}

/** Refuses a name `launch` would refuse, with its error (InvalidName). */
export function checkName(name: string): void {
  if (!isValidName(name)) throw new FomoRejection("LaunchpadInvalidName", [name], `invalid name ${JSON.stringify(name)}`);
}

/**
 * The API model id an offering of `ticker` on `baseModelId` serves (ModelIds.modelId); refuses an
 * invalid ticker with `launch`'s error (InvalidTicker).
 */
export function modelIdOf(baseModelId: string, ticker: string): string {
  if (!isValidTicker(ticker)) throw new FomoRejection("LaunchpadInvalidTicker", [ticker], `invalid ticker ${JSON.stringify(ticker)}`);
  return `${baseModelId}-${ticker.toLowerCase()}`;
}

/** The key of Launchpad.deploymentOf: keccak256 of the model id's bytes. */
export function modelIdHash(modelId: string): `0x${string}` {
  return keccak256(toBytes(modelId));
}
