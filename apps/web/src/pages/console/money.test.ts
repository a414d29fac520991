import { describe, expect, it } from "vitest";
import { readCents, readOptionalCount, readOptionalUsd, readUsd, usd, usdInput } from "./money.ts";
import { dayStart, totalsPerDay, usageFilters } from "./usageSums.ts";

describe("console money", () => {
  it("shows micro-USD exactly: every significant decimal, at least cents, grouped, signed", () => {
    expect(usd(0n)).toBe("$0.00");
    expect(usd("1")).toBe("$0.000001");
    expect(usd(12_500_000n)).toBe("$12.50");
    expect(usd("1234567890123")).toBe("$1,234,567.890123");
    expect(usd(-3_100_000n)).toBe("-$3.10");
    expect(usdInput(12_500_000n)).toBe("12.5");
    expect(usdInput(100_000_000n)).toBe("100");
    expect(usdInput(0n)).toBe("0");
  });

  it("reads typed USD with the SDK's exact parse, and says what is wrong otherwise", () => {
    expect(readUsd(" $1,250.75 ").value).toBe(1_250_750_000n);
    expect(readUsd("0.000001").value).toBe(1n);
    expect(readUsd("12,5").error).toMatch(/dot for decimals/);
    expect(readUsd("1e3").error).toMatch(/at most 6 decimals/);
    expect(readUsd("-5").error).toMatch(/Enter an amount in USD such as/);
    expect(readUsd("").error).toBe("Enter an amount in USD.");
    expect(readOptionalUsd("  ")).toEqual({ value: undefined });
    expect(readOptionalCount("", 10)).toEqual({ value: undefined });
    expect(readOptionalCount("1,000", 1_000).value).toBe(1_000);
    expect(readOptionalCount("1001", 1_000).error).toBe("Enter a whole number from 1 to 1,000.");
    expect(readOptionalCount("99999999999999999999", 1_000).error).toBe("Enter a whole number from 1 to 1,000.");
    expect(readOptionalCount("2.5", 10).error).toMatch(/whole number/);
  });

  it("reads a card top-up in whole cents within the bounds", () => {
    expect(readCents("5", 500, 1_000_000).value).toBe(500);
    expect(readCents("10000", 500, 1_000_000).value).toBe(1_000_000);
    expect(readCents("12.345", 500, 1_000_000).error).toBe("A card top-up is in whole cents, between $5.00 and $10,000.00.");
    expect(readCents("10000.01", 500, 1_000_000).error).toBe("A card top-up must be between $5.00 and $10,000.00.");
  });
});

describe("usage windows", () => {
  it("turns UTC days into the routes' [since, until) window, the last day included", () => {
    expect(usageFilters({ key: "", model: "", from: "2026-02-28", to: "2026-02-28" })).toEqual({
      since: "2026-02-28T00:00:00.000Z",
      until: "2026-03-01T00:00:00.000Z",
    });
    expect(usageFilters({ key: "key_1", model: "m", from: "", to: "not a day" })).toEqual({ key_id: "key_1", model: "m" });
    expect(dayStart("2026-13-01")).toBeUndefined();
  });

  it("fills days without usage with zeros, oldest first", () => {
    const row = (day: string, requests: number) => ({
      day, key_id: "k", model_id: "m", requests, input_tokens: "1", output_tokens: "2", list_price_micro_usd: "3", price_charged_micro_usd: "3",
    });
    const days = totalsPerDay([row("2026-12-30", 1), row("2027-01-02", 2), row("2026-12-30", 4)]);
    expect(days.map(([d, t]) => [d, t.requests, t.tokens, t.charged])).toEqual([
      ["2026-12-30", 5, 6n, 6n],
      ["2026-12-31", 0, 0n, 0n],
      ["2027-01-01", 0, 0n, 0n],
      ["2027-01-02", 2, 3n, 3n],
    ]);
  });
});
