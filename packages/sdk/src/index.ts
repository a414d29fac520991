// @fomo/sdk: ABIs, deployments, protocol parameters, the curve math and typed actions.
export * from "./generated/abis.ts";
export * from "./params.ts";
export * from "./curve.ts";
export * from "./deployments.ts";
