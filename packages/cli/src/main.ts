#!/usr/bin/env node
// The FOMO command line. `./fomo <command>` brings the right Node and dependencies, then runs this.
import { build } from "./commands/build.ts";
import { test } from "./commands/test.ts";
import { parseUpArgs, up } from "./commands/up.ts";

const USAGE = `usage: ./fomo <command>

  up [--port N] [--data-dir DIR]   start the local stack: EVM chain with Uniswap V2 and FOMO deployed
  test                             run every test of the repository (build, typecheck, unit, contracts)
  build                            compile the contracts and regenerate the SDK's ABIs
  help                             this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "up":
      return up(parseUpArgs(args));
    case "test":
      return test();
    case "build":
      return build();
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

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fomo: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
