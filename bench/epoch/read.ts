// An epoch's input file read back as `fomo epoch verify` reads it, alone in its process so its wall
// time and peak RSS are the verifier's: the file streamed from disk, hashed and parsed in pieces
// (readEpochInput: no string of the whole file, which at 20M records is past V8's longest), then the
// epoch's rewards recomputed from it (computeEpochRewards). Prints one JSON line: the stages, the
// hash and Σ allotments, for main.ts to compare with what settle.ts wrote.
// Usage: node bench/epoch/read.ts --file FILE
import { createReadStream } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { computeEpochRewards, readEpochInput } from "@fomo/sdk";

const { values } = parseArgs({ options: { file: { type: "string" } } });
const stages: Record<string, number> = {};
let t0 = performance.now();
const { file, hash, bytes } = await readEpochInput(createReadStream(values.file!, { highWaterMark: 1 << 20 }));
stages.read = Math.round(performance.now() - t0);
t0 = performance.now();
const rewards = computeEpochRewards(file);
stages.recompute = Math.round(performance.now() - t0);
process.stdout.write(
  `${JSON.stringify({
    stages,
    hash,
    bytes,
    allotments: rewards.allotments.length,
    allotted: rewards.allotments.reduce((sum, a) => sum + a.amount, 0n).toString(),
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
