// @fomo/testkit: the helpers with no dependency beyond Node. The heavier ones are entries of their own,
// so a package's tests load only what they use: `@fomo/testkit/ports`, `/upstream` (a mock OpenAI
// upstream), `/chain` (a local chain with FOMO deployed), `/events` (a receipt's events), `/reverts`
// (custom errors), `/books` (the ledger's bookkeeping invariants).
export { rng, runSeed } from "./random.ts";
export { DAY, HOUR, MINUTE } from "./time.ts";
