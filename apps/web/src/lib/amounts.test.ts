import { describe, expect, it } from "vitest";
import { parseDecimal } from "./amounts.ts";

describe("parseDecimal", () => {
  it("reads decimals exactly as integers, with thousands separators", () => {
    expect(parseDecimal("2.5", 18, "x")).toEqual({ value: 2_500_000_000_000_000_000n });
    expect(parseDecimal("1,000", 18, "x")).toEqual({ value: 1_000n * 10n ** 18n });
    expect(parseDecimal("12,345.5", 2, "x")).toEqual({ value: 1_234_550n });
    expect(parseDecimal("0.000000000000000001", 18, "x")).toEqual({ value: 1n });
    expect(parseDecimal("  ", 18, "x")).toBeUndefined();
  });
  it("refuses a decimal comma, too many decimals, and what is not a number", () => {
    expect(parseDecimal("12,5", 18, "the amount")).toHaveProperty("error");
    expect(parseDecimal("1,00", 18, "the amount")).toHaveProperty("error");
    expect(parseDecimal("0.0000000000000000001", 18, "the amount")).toEqual({ error: "The amount takes at most 18 decimals." });
    for (const bad of ["1e3", "-1", ".", "0x10", "1.2.3"]) expect(parseDecimal(bad, 18, "the amount")).toHaveProperty("error");
  });
});
