// The curve chart's coordinates: the SDK's price (curve.ts `price`, to the wei) sampled from 0 to
// raiseMax, with the current point and the entered buy's segment. Converting wei to a float happens
// here and only for plotting: every amount the page prints comes from the bigints.
import { price, type CurveReserves } from "@fomo/sdk";
import { formatUnits } from "viem";

/** uPlot's aligned columns: x (FLOCK raised), the curve, the buy's segment, the current point, the point after the buy. */
export type CurveColumns = [number[], number[], (number | null)[], (number | null)[], (number | null)[]];

/** A wei amount (18 decimals) as a float for a chart coordinate; never for a shown amount. */
export const plotCoordinate = (wei: bigint): number => Number(formatUnits(wei, 18));

export function curveColumns(curve: CurveReserves, raiseMax: bigint, raised: bigint, raisedAfter: bigint | undefined, samples = 96): CurveColumns {
  const marks = new Set<bigint>();
  for (let i = 0n; i <= BigInt(samples); i++) marks.add((raiseMax * i) / BigInt(samples));
  marks.add(raised);
  if (raisedAfter !== undefined) marks.add(raisedAfter);
  const xs = [...marks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const columns: CurveColumns = [[], [], [], [], []];
  for (const x of xs) {
    const y = plotCoordinate(price(curve, x));
    columns[0].push(plotCoordinate(x));
    columns[1].push(y);
    columns[2].push(raisedAfter !== undefined && x >= raised && x <= raisedAfter ? y : null);
    columns[3].push(x === raised ? y : null);
    columns[4].push(raisedAfter !== undefined && x === raisedAfter ? y : null);
  }
  return columns;
}
