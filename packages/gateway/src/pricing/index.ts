// Request pricing (list price, staker discount, min-price floor, hard cost, worst-case hold).
export * from "./pricing.ts";
export * from "./discounts.ts";
