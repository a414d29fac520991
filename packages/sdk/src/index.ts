// @fomo/sdk: ABIs, deployments, protocol parameters, the curve, emission and routing math, the
// rewards Merkle tree, usage receipts and typed actions on every contract.
export * from "./generated/abis.ts";
export * from "./params.ts";
export * from "./units.ts";
export * from "./curve.ts";
export * from "./deployments.ts";
export * from "./client.ts";
export * from "./state.ts";
export * from "./format.ts";
export * from "./errors.ts";
export * from "./registry.ts";
export * from "./launchpad.ts";
export * from "./uint256.ts";
export * from "./tokens.ts";
export * from "./emission.ts";
export * from "./routing.ts";
export * from "./merkle.ts";
export * from "./staking.ts";
export * from "./revenue.ts";
export * from "./buyback.ts";
export * from "./rewards.ts";
export * from "./gmflock.ts";
export * from "./credits.ts";
export * from "./receipts.ts";
