// The browser tests' own local stack: `fomo up --demo` on free ports and a temporary data dir (never the
// stack on the default ports someone may be using), the web app served by its platform, and the CLI
// on that stack for what a user does in a terminal: moving the chain's clock, settling epochs.
import { execFile as execFileCb } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createPublicClient, http } from "viem";
import { freePort } from "@fomo/testkit/ports";
import { CLI_ENV, FOMO_CLI, startUp, type RunningUp } from "@fomo/testkit/up";

const execFile = promisify(execFileCb);

/** What these tests read of <data-dir>/stack.json (packages/cli/src/commands/up.ts StackFile). */
export interface StackFile {
  rpcUrl: string;
  gatewayUrl: string;
  apiUrl: string;
  webUrl: string | null;
}

/** The demo's offerings by state (packages/cli/src/commands/demo.ts), as their pages are addressed. */
export const DEMO_TICKERS = { raising: "RISE", graduated: "STORY", failed: "FLOP" } as const;

export interface WebStack {
  file: StackFile;
  dataDir: string;
  /** The web app's URL without its trailing slash: pages are `${baseUrl}/launch` etc. */
  baseUrl: string;
  /** A chain command, `fomo …` on this stack (--data-dir and --rpc-url added); a non-zero exit throws with its output. */
  fomo(...args: string[]): Promise<{ stdout: string; stderr: string }>;
  /** A `--json` command's document. */
  fomoJson<T>(...args: string[]): Promise<T>;
  stop(): Promise<void>;
}

export async function startWebStack(): Promise<WebStack> {
  const dataDir = mkdtempSync(join(tmpdir(), "fomo-web-e2e-"));
  let up: RunningUp | undefined;
  const stop = async () => {
    if (up && up.child.exitCode === null) {
      up.child.kill("SIGINT");
      await up.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const ports = [await freePort(), await freePort(), await freePort()].map(String);
    up = await startUp(["--demo", "--port", ports[0]!, "--gateway-port", ports[1]!, "--platform-port", ports[2]!, "--data-dir", dataDir]);
    const file = JSON.parse(readFileSync(join(dataDir, "stack.json"), "utf8")) as StackFile;
    if (!file.webUrl) throw new Error("stack.json has no webUrl: this `fomo up` does not serve the web app");
    const fomo = async (...args: string[]) => {
      const flags = ["--data-dir", dataDir, "--rpc-url", file.rpcUrl];
      try {
        return await execFile(process.execPath, [FOMO_CLI, ...args, ...flags], { env: CLI_ENV, maxBuffer: 16 << 20 });
      } catch (error) {
        const e = error as { code: number; stdout: string; stderr: string };
        // A command that cannot reach the stack is about the stack: say how it is, from its own output.
        const gone = up!.child.exitCode === null ? "" : `\nfomo up exited (${up!.child.exitCode}); its last lines:\n${up!.stderr().split("\n").slice(-15).join("\n")}`;
        throw new Error(`fomo ${args.join(" ")} exited ${e.code}:\n${e.stderr}\n${e.stdout}${gone}`);
      }
    };
    return {
      file,
      dataDir,
      baseUrl: file.webUrl.replace(/\/$/, ""),
      fomo,
      fomoJson: async <T>(...args: string[]) => JSON.parse((await fomo(...args, "--json")).stdout) as T,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** `fomo rewards --json`, as these tests read it. */
export interface Rewards {
  pending: { epoch: string; liveAt: string } | null;
  tokens: Array<{ symbol: string; claimable: string; claimed: string }>;
}

/**
 * The README's settlement on the demo's one-minute epochs: the epoch with the usage ends, `epoch run`
 * reports its revenue and observes the price oracle, a TWAP window later it buys back and posts the
 * rewards root, which is claimable once its challenge delay has passed. Each round runs what is due,
 * then moves the chain's clock to where the next step waits: the pending root's live time, or a TWAP
 * window on. The stack's own keeper works alongside, as it does for a user.
 */
export async function settleUntilClaimable(stack: WebStack, account: number): Promise<void> {
  const chain = createPublicClient({ transport: http(stack.file.rpcUrl) });
  for (let round = 0; round < 8; round++) {
    await stack.fomo("epoch", "run");
    const rewards = await stack.fomoJson<Rewards>("rewards", "--from", String(account));
    if (rewards.tokens.some((t) => BigInt(t.claimable) > 0n)) return;
    if (rewards.pending) {
      const now = (await chain.getBlock()).timestamp;
      const wait = BigInt(Math.ceil(Date.parse(rewards.pending.liveAt) / 1000)) - now + 1n;
      await stack.fomo("dev", "advance", `${wait > 0n ? wait : 1n}s`);
    } else {
      await stack.fomo("dev", "advance", "31m");
    }
  }
  throw new Error("no rewards to claim after 8 rounds of epoch run and time");
}
