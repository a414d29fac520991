#!/usr/bin/env node
// The FOMO command line. `./fomo <command>` brings the right Node and dependencies, then runs this.
// Commands load lazily: `build` and `test` must run before the SDK's generated ABIs exist.

const USAGE = `usage: ./fomo <command>

  up [--demo] [--reset] [--port N] [--gateway-port N] [--platform-port N] [--data-dir DIR] [--epoch-seconds N]
                                   start the local stack: EVM chain (port 8545) with Uniswap V2 and FOMO
                                   deployed, the gateway wired to it (port 8080) and the platform API (port 8788);
                                   epochs (reports, reward roots, emission days) last N s (60 to 86400, default 86400);
                                   the chain and the ledger are kept in the data dir (default .fomo) across restarts,
                                   --reset starts over; --demo seeds offerings in every state (epochs of 60 s)
  gateway [--port N] [--data-dir DIR] [--rpc-url URL] [--deployments FILE|none] [--backends FILE] [--no-local-model]
                                   start the metered OpenAI-compatible API on the local model (default port
                                   8080), serving the graduated deployments of the chain (default: the local
                                   stack's when it runs) and the upstreams of the backends file; with
                                   --backends the local model is served only when its file is found,
                                   never with --no-local-model
  platform [--port N] [--data-dir DIR] [--rpc-url URL] [--public-rpc-url URL] [--gateway-url URL] [--web-dir DIR | --no-web]
                                   start the platform API (default port 8788): Sign-In with Ethereum, wallet
                                   bindings, the account, Stripe top-ups (STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET),
                                   the public reads, GET /api/v1/network, and the built web app at "/"
  keys create --account NAME --credits USD [--wallet 0x…] [--data-dir DIR]
                                   credit an account (created if new), bind its staking wallet, print a new API key
  keys list [--account NAME] [--json] [--data-dir DIR]
                                   the API keys (every account's, or NAME's): id, display prefix, status, spend
  keys revoke KEY_ID [--json] [--data-dir DIR]
                                   revoke a key for good (its id from \`keys list\`): its requests get 401
  credits [--account NAME] [--json] [--data-dir DIR]
                                   an API account's balance, holds (requests in flight) and what is available
  credits deposit USDC [--account NAME] [--json] [--from N] [--keystore FILE] [chain options]
                                   top the account up on chain (CreditDeposits); the indexer credits it
  usage [--account NAME] [--since DATE|DURATION] [--model ID] [--json] [--data-dir DIR]
                                   the account's requests and charges per UTC day and model (default: the last 7d)
  index status [--json] [--data-dir DIR] [--rpc-url URL] [--deployments FILE]
                                   each indexed source's cursor, the chain's head, the lag and the last reorg
  index run [--confirmations N] [--max-range N] [--data-dir DIR] [--rpc-url URL] [--deployments FILE]
                                   run the chain indexer alone (\`up\` runs one next to the gateway)
  epoch run [--epoch N] [--json] [--data-dir DIR] [--rpc-url URL] [--deployments FILE]
                                   settle epoch N now, or every due epoch (the keeper in \`up\` does it on its own)
  epoch status [--json] [--data-dir DIR] [--rpc-url URL] [--deployments FILE]
                                   each epoch's step and error; per deployment: gross, hard cost, report, buyback
  epoch verify --epoch N [--file F] [--json] [--data-dir DIR] [--rpc-url URL] [--deployments FILE]
                                   recompute a published epoch from its input file and the chain (exit 0 only if all match)
  keeper run [--data-dir DIR] [--rpc-url URL] [--deployments FILE]
                                   run the keeper alone (\`up\` runs one): settles every due epoch, signing with
                                   FOMO_KEEPER_KEY (the local chain: the dev account holding the keeper role)
  launch --template ID --name NAME --ticker TICKER [--first-buy FLOCK] [--metadata URI]
                                   launch an offering: approves the launch fee and the first buy, then launches
  offerings [--state raising|succeeded|graduated|failed]
                                   every offering: state, raised, progress, price, fee now, close
  offering TICKER                  one offering: state, progress toward the raise, price, fee, time left, your position
  buy TICKER --flock AMOUNT [--max-slippage BPS] [--yes]
                                   quote (fee, anti-snipe surcharge, $MT), confirm, approve and buy
  graduate TICKER | refund TICKER | claim TICKER
                                   graduate a raise closed above its minimum, refund a failed one, claim bought $MT
                                   (offering commands take --json, --from N | --keystore FILE, and the chain options
                                   [--data-dir DIR] [--rpc-url URL] [--deployments FILE] [--poll-ms N])
  dev advance DURATION [--json] [--rpc-url URL]
                                   local chain only: move its clock (7d, 90m, 30s, 2h) and mine a block
  deploy --rpc URL --flock ADDR --usdc ADDR --router ADDR --guardian ADDR --keeper ADDR --treasury ADDR
         [--hosting-reserve ADDR] [--emission-reserve ADDR] [--proposer ADDR] [--timelock-delay SECONDS]
         [--chain-id N] [--keystore FILE] [--data-dir DIR] [--dry-run] [--yes] [--json]
                                   deploy FOMO on a real network (BSC, Base) against its tokens and Uniswap V2
                                   router: checks, plan, gas from a rehearsal on a fork, confirmation, a resumable
                                   run (<data-dir>/deployments/<chainId>.json), admin to a timelock, role audit;
                                   signs with FOMO_PRIVATE_KEY or --keystore FILE (FOMO_KEYSTORE_PASSWORD)
  stake TICKER AMOUNT              stake $MT (a decimal amount) on MtStaking: it counts for rewards and the staker discount
  unstake TICKER AMOUNT            stop counting AMOUNT now; it cools down (7 days) before \`withdraw\`
  withdraw TICKER                  take back what finished its cooldown
  lock FLOCK DAYS                  lock FLOCK for 1-365 days into gmFLOCK; shows the gmFLOCK and the rewards boost G
  rewards [claim]                  the signer's claimable rewards per token under the live root (from the published
                                   epoch input files in --data-dir); \`claim\` claims each one
  yield claim TICKER               the issuer's revenue yield of TICKER from the RevenueRouter, in USDC
                                   (token commands take --json, --from N | --keystore FILE, and the chain options)
  simulate [--scenario FILE] [--days N] [--runs K] [--seed S] [--json] [--chart FILE.svg]
                                   simulate an offering's raise and the days after it (seeded Monte Carlo on
                                   the SDK's exact math): revenue, buybacks, burns, supply, emissions, price fan
  test                             run every test of the repository (build, typecheck, unit, contracts)
  build                            compile the contracts, regenerate the SDK's ABIs and the Solidity tests' default terms
  help                             this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "up": {
      const { parseUpArgs, up } = await import("./commands/up.ts");
      return up(parseUpArgs(args));
    }
    case "gateway": {
      const { gateway, parseGatewayCommand } = await import("./commands/gateway.ts");
      return gateway(parseGatewayCommand(args));
    }
    case "platform":
      return (await import("./commands/platform.ts")).platform((await import("./args.ts")).parsePlatformArgs(args, (await import("./paths.ts")).WEB_DIST));
    case "keys": {
      const keys = await import("./commands/keys.ts");
      return keys.keys(keys.parseKeysArgs(args));
    }
    case "credits":
    case "usage": {
      const account = await import("./commands/account.ts");
      return account.account(account.parseAccountArgs(command, args));
    }
    case "index":
      return (await import("./commands/indexer.ts")).index((await import("./args.ts")).parseIndexArgs(args));
    case "epoch":
      return (await import("./commands/keeper.ts")).epoch((await import("./args.ts")).parseEpochArgs(args));
    case "keeper":
      return (await import("./commands/keeper.ts")).keeperRun((await import("./args.ts")).parseKeeperArgs(args));
    case "launch":
    case "offerings":
    case "offering":
    case "buy":
    case "graduate":
    case "refund":
    case "claim": {
      const offerings = await import("./commands/offerings.ts");
      return offerings.offeringCommand(offerings.parseOfferingArgs(command, args));
    }
    case "dev": {
      const dev = await import("./commands/dev.ts");
      return dev.devAdvance(dev.parseDevArgs(args));
    }
    case "deploy": {
      const { deploy, parseDeployArgs } = await import("./commands/deploy.ts");
      return deploy(parseDeployArgs(args));
    }
    case "stake":
    case "unstake":
    case "withdraw":
    case "lock":
    case "rewards":
    case "yield": {
      const tokens = await import("./commands/tokens.ts");
      return tokens.tokens(tokens.parseTokenArgs(command, args));
    }
    case "simulate": {
      const simulate = await import("./commands/simulate.ts");
      return simulate.simulateCommand(simulate.parseSimulateArgs(args));
    }
    case "test":
      return (await import("./commands/test.ts")).test();
    case "build":
      return (await import("./commands/build.ts")).build();
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return 0;
    default:
      process.stderr.write(`fomo: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

/**
 * Ends the process with `code`: by letting the event loop drain when nothing holds it, else after a
 * grace period. Not process.exit() at once: exiting while V8 still compiles on a background thread can
 * deadlock the shutdown (the worker waits for a collection the exiting main thread never runs; seen as a
 * `fomo` usage error that never returned). A natural exit tears the isolate down first, which is safe.
 */
function exitWith(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
}

/** How long a command's leftover handles (sockets kept alive, pools) may hold the process after its result. */
const EXIT_GRACE_MS = 1_000;

main(process.argv.slice(2)).then(
  (code) => exitWith(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`${message.startsWith("fomo") ? "" : "fomo: "}${message}\n`);
    exitWith(err instanceof Error && err.name === "UsageError" ? 2 : 1);
  },
);
