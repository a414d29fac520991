// The chain clock behind the countdowns: it runs on from the read model's time, and a refetch that
// brings no new block does not send it back.
import { act, renderHook } from "@testing-library/react";
import { afterEach, expect, it, vi } from "vitest";
import { useChainClock } from "./parts.tsx";

afterEach(() => vi.useRealTimers());

it("runs on from as_of, keeps running through refetches of the same block, and jumps to a new block's time", () => {
  vi.useFakeTimers({ now: 1_000_000 });
  const { result, rerender } = renderHook(({ asOf, fetchedAt }) => useChainClock(asOf, fetchedAt), {
    initialProps: { asOf: "1797000000", fetchedAt: 1_000_000 },
  });
  expect(result.current).toBe(1_797_000_000n);
  act(() => vi.advanceTimersByTime(12_000));
  expect(result.current).toBe(1_797_000_012n);
  // Refetched 10 s in, same latest block: still 12 s on, not back to as_of.
  rerender({ asOf: "1797000000", fetchedAt: 1_010_000 });
  act(() => vi.advanceTimersByTime(1_000));
  expect(result.current).toBe(1_797_000_013n);
  // A new block (the chain moved, e.g. time advanced on a local chain): its time, then on from there.
  rerender({ asOf: "1797086400", fetchedAt: 1_013_000 });
  act(() => vi.advanceTimersByTime(2_000));
  expect(result.current).toBe(1_797_086_402n);
});
