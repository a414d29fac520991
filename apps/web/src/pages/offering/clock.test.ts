import { describe, expect, it } from "vitest";
import { ChainClock } from "./clock.ts";

describe("ChainClock", () => {
  it("runs from as_of with the seconds elapsed here", () => {
    const clock = new ChainClock();
    expect(clock.at(0)).toBeUndefined();
    clock.observe(1_000n, 50_000);
    expect(clock.at(50_000)).toBe(1_000n);
    expect(clock.at(52_999)).toBe(1_002n);
  });

  it("a stale as_of (no block since) never pulls it back; a newer one moves it forward", () => {
    const clock = new ChainClock();
    clock.observe(1_000n, 0);
    clock.observe(1_000n, 30_000);
    expect(clock.at(30_000)).toBe(1_030n);
    // The chain moved ahead (time travel on a local chain): the estimate jumps with it.
    clock.observe(90_000n, 31_000);
    expect(clock.at(32_000)).toBe(90_001n);
  });
});
