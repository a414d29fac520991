// The staker discount of a request, read from chain; the request price itself is the SDK's (pricing.ts).
export * from "./discounts.ts";
