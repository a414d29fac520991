// @fomo/testkit: the helpers with no dependency beyond Node. The heavier ones are entries of their own,
// so a package's tests load only what they use: `@fomo/testkit/ports`, `/upstream` (a mock OpenAI
// upstream), `/chain` (a local chain with FOMO deployed), `/events` (a receipt's events), `/reverts`
// (custom errors), `/books` (the ledger's bookkeeping invariants), `/databases` (a suite on SQLite and
// a real PostgreSQL), `/postgres` (a throwaway PostgreSQL server), `/requires` (a suite needing a server
// binary), `/ledger` (funded keys, holds, snapshots), `/pricing` (the test template's prices) and `/up`
// (`fomo up` in the background, as a user starts the whole stack).
export { rng, runSeed } from "./random.ts";
export { DAY, HOUR, MINUTE } from "./time.ts";
