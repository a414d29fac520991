// Command-line options, parsed before anything heavy loads so a typo fails at once.
import { DEFAULT_DATA_DIR } from "./paths.ts";

export interface UpOptions {
  port: number;
  dataDir: string;
}

export function parseUpArgs(args: string[]): UpOptions {
  const opts: UpOptions = { port: 8545, dataDir: DEFAULT_DATA_DIR };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (flag === "--port" && value !== undefined) {
      opts.port = Number(value);
      if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) throw new Error(`--port: not a port: ${value}`);
      i++;
    } else if (flag === "--data-dir" && value !== undefined) {
      opts.dataDir = value;
      i++;
    } else {
      throw new Error(`fomo up: unknown option ${flag} (usage: fomo up [--port N] [--data-dir DIR])`);
    }
  }
  return opts;
}

export interface GatewayOptions {
  port: number;
  dataDir: string;
}

/** `fomo gateway [--port N] [--data-dir DIR]`. */
export function parseGatewayArgs(args: string[]): GatewayOptions {
  return parseFlags(args, "gateway [--port N] [--data-dir DIR]", { port: "8080", "data-dir": DEFAULT_DATA_DIR }, (v) => ({
    port: parsePort(v.port!),
    dataDir: v["data-dir"]!,
  }));
}

export interface KeysCreateOptions {
  account: string;
  /** Micro-USD. */
  credits: bigint;
  dataDir: string;
}

/** `fomo keys create --account NAME --credits USD [--data-dir DIR]`. */
export function parseKeysArgs(args: string[]): KeysCreateOptions {
  const [sub, ...rest] = args;
  const usage = "keys create --account NAME --credits USD [--data-dir DIR]";
  if (sub !== "create") throw new Error(`fomo keys: unknown subcommand ${sub ?? "(none)"} (usage: fomo ${usage})`);
  return parseFlags(rest, usage, { "data-dir": DEFAULT_DATA_DIR, credits: "0", account: "" }, (v) => {
    if (!v.account) throw new Error(`fomo keys create: --account is required (usage: fomo ${usage})`);
    return { account: v.account, credits: parseUsd(v.credits!), dataDir: v["data-dir"]! };
  });
}

/** A decimal USD string ("12", "0.50", up to 6 decimals) to integer micro-USD: never through a float. */
export function parseUsd(usd: string): bigint {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(usd);
  if (!m) throw new Error(`--credits: not a USD amount with at most 6 decimals: ${usd}`);
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? "").padEnd(6, "0"));
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port: not a port: ${value}`);
  return port;
}

/** `--name value` flags with defaults; any other token is an error naming the command's usage. */
function parseFlags<T>(
  args: string[],
  usage: string,
  defaults: Record<string, string>,
  build: (values: Record<string, string | undefined>) => T,
): T {
  const values: Record<string, string | undefined> = { ...defaults };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    const value = args[i + 1];
    if (!flag.startsWith("--") || value === undefined) throw new Error(`fomo: bad option ${flag} (usage: fomo ${usage})`);
    const name = flag.slice(2);
    if (!(name in defaults)) throw new Error(`fomo: unknown option ${flag} (usage: fomo ${usage})`);
    values[name] = value;
  }
  return build(values);
}
