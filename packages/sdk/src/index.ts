// @fomo/sdk: ABIs, deployments, protocol parameters, the curve math and typed actions.
export * from "./generated/abis.ts";
export * from "./params.ts";
export * from "./curve.ts";
export * from "./deployments.ts";
export * from "./client.ts";
export * from "./state.ts";
export * from "./format.ts";
export * from "./errors.ts";
export * from "./registry.ts";
export * from "./launchpad.ts";
