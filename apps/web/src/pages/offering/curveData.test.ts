import { defaultAllocation, defaultSaleTerms, FLOCK, termsCurve } from "@fomo/sdk";
import { describe, expect, it } from "vitest";
import { curveColumns } from "./curveData.ts";

const curve = termsCurve(defaultSaleTerms, defaultAllocation);
const MAX = defaultSaleTerms.raiseMax;

describe("curveColumns", () => {
  it("the default curve from 0 to raiseMax: 9x from start to end, rising", () => {
    const [x, y, segment, now, after] = curveColumns(curve, MAX, 0n, undefined, 10);
    expect(x[0]).toBe(0);
    expect(x.at(-1)).toBe(1_000_000);
    expect(y.at(-1)! / y[0]!).toBeCloseTo(9, 6);
    for (let i = 1; i < y.length; i++) expect(y[i]!).toBeGreaterThan(y[i - 1]!);
    expect(segment.every((v) => v === null)).toBe(true);
    expect(now[0]).toBe(y[0]);
    expect(after.every((v) => v === null)).toBe(true);
  });

  it("the current point and the buy's segment sit exactly at raised and raised after", () => {
    const raised = 250_123n * FLOCK;
    const raisedAfter = 300_456n * FLOCK;
    const [x, y, segment, now, after] = curveColumns(curve, MAX, raised, raisedAfter, 10);
    const at = (v: number) => x.indexOf(v);
    expect(now.filter((v) => v !== null)).toEqual([y[at(250_123)]]);
    expect(after.filter((v) => v !== null)).toEqual([y[at(300_456)]]);
    // 250,123 … 300,000 … 300,456: the marks inside the buy and its two ends.
    expect(x.filter((_, i) => segment[i] !== null)).toEqual([250_123, 300_000, 300_456]);
  });
});
