// Command-line options, parsed before anything heavy loads so a typo fails at once.
import { parseUsd } from "@fomo/sdk/money"; // the money module alone: no viem to load before parsing
import { DEFAULT_DATA_DIR, deploymentsPath } from "./paths.ts";

/**
 * A command line that cannot be parsed: the process exits with code 2 (main.ts), as a shell's usage
 * errors do, so scripts tell a typo from a failure of the command itself (1).
 */
export class UsageError extends Error {
  override name = "UsageError";
}

/** The local stack's chain: where `fomo up` serves JSON-RPC, and its chain id. */
export const LOCAL_RPC_URL = "http://127.0.0.1:8545";
export const LOCAL_CHAIN_ID = 31337;
export const DEFAULT_GATEWAY_PORT = "8080";
export const DEFAULT_PLATFORM_PORT = "8788";

export interface GatewayOptions {
  port: number;
  dataDir: string;
  /** JSON-RPC URL of the chain whose deployments are served (with `deployments`). */
  rpcUrl?: string;
  /** Deployments file; "none" serves base models only; absent: the local stack's when it exists. */
  deployments?: string;
  /** Upstream backends file (gateway config/backends.ts). */
  backends?: string;
}

const GATEWAY_USAGE = "gateway [--port N] [--data-dir DIR] [--rpc-url URL] [--deployments FILE|none] [--backends FILE]";

/** `fomo gateway [--port N] [--data-dir DIR] [--rpc-url URL] [--deployments FILE|none] [--backends FILE]`. */
export function parseGatewayArgs(args: string[]): GatewayOptions {
  const defaults = { port: DEFAULT_GATEWAY_PORT, "data-dir": DEFAULT_DATA_DIR, "rpc-url": "", deployments: "", backends: "" };
  return parseFlags(args, GATEWAY_USAGE, defaults, (v) => {
    const rpcUrl = v["rpc-url"]!;
    if (rpcUrl && !/^https?:\/\/[^/]/.test(rpcUrl)) throw new Error(`--rpc-url: not an http(s) URL: ${rpcUrl}`);
    if (rpcUrl && v.deployments === "none") throw new Error("fomo gateway: --rpc-url and --deployments none contradict each other");
    return {
      port: parsePort(v.port!),
      dataDir: v["data-dir"]!,
      ...(rpcUrl ? { rpcUrl } : {}),
      ...(v.deployments ? { deployments: v.deployments } : {}),
      ...(v.backends ? { backends: v.backends } : {}),
    };
  });
}

/**
 * The chain a gateway serves deployments from: the deployments file given (on --rpc-url, default
 * the local stack's), else the local stack's file when `./fomo up` wrote one; none with
 * `--deployments none`, or when there is no file and no --rpc-url.
 */
export function gatewayChain(
  opts: GatewayOptions,
  exists: (path: string) => boolean,
): { rpcUrl: string; deploymentsFile: string } | undefined {
  if (opts.deployments === "none") return undefined;
  if (opts.deployments) return { rpcUrl: opts.rpcUrl ?? LOCAL_RPC_URL, deploymentsFile: opts.deployments };
  const local = deploymentsPath(opts.dataDir, LOCAL_CHAIN_ID);
  if (exists(local)) return { rpcUrl: opts.rpcUrl ?? LOCAL_RPC_URL, deploymentsFile: local };
  if (opts.rpcUrl) throw new Error(`fomo gateway: --rpc-url needs --deployments FILE (no ${local}) (usage: fomo ${GATEWAY_USAGE})`);
  return undefined;
}

export interface PlatformOptions {
  port: number;
  dataDir: string;
  /** The chain wallets sign in on (smart-wallet signatures are checked there). */
  rpcUrl: string;
  /** The RPC URL browsers are told to use (GET /network); default rpcUrl. */
  publicRpcUrl: string;
  /** The gateway browsers are told about (GET /network), ending in /v1. */
  gatewayUrl: string;
  /** The built web app served at "/"; undefined: none. */
  webDir: string | undefined;
}

const PLATFORM_USAGE = "platform [--port N] [--data-dir DIR] [--rpc-url URL] [--public-rpc-url URL] [--gateway-url URL] [--web-dir DIR | --no-web]";

/** `fomo platform [--port N] [--data-dir DIR] [--rpc-url URL] [--public-rpc-url URL] [--gateway-url URL] [--web-dir DIR | --no-web]`. */
export function parsePlatformArgs(args: string[], defaultWebDir?: string): PlatformOptions {
  const [noWeb, rest] = withoutSwitch(args, "--no-web");
  const defaults = {
    port: DEFAULT_PLATFORM_PORT, "data-dir": DEFAULT_DATA_DIR, "rpc-url": LOCAL_RPC_URL, "public-rpc-url": "",
    "gateway-url": `http://127.0.0.1:${DEFAULT_GATEWAY_PORT}/v1`, "web-dir": "",
  };
  return parseFlags(rest, PLATFORM_USAGE, defaults, (v) => {
    const url = (flag: string, value: string) => {
      if (!/^https?:\/\/[^/]/.test(value)) throw new Error(`${flag}: not an http(s) URL: ${value}`);
      return value;
    };
    const rpcUrl = url("--rpc-url", v["rpc-url"]!);
    const webDir = noWeb ? undefined : v["web-dir"] || defaultWebDir;
    return {
      port: parsePort(v.port!),
      dataDir: v["data-dir"]!,
      rpcUrl,
      publicRpcUrl: v["public-rpc-url"] ? url("--public-rpc-url", v["public-rpc-url"]) : rpcUrl,
      gatewayUrl: url("--gateway-url", v["gateway-url"]!).replace(/\/+$/, ""),
      webDir,
    };
  });
}

export interface IndexOptions extends ChainOptions {
  command: "status" | "run";
  /** status: print JSON. */
  json: boolean;
  /** run: blocks below the head a block must be to be indexed. */
  confirmations: number;
  /** run: most blocks per getLogs. */
  maxRange: number;
}

const INDEX_USAGE =
  "index status [--json] [--data-dir DIR] [--rpc-url URL] [--deployments FILE] | index run [--confirmations N] [--max-range N] [--data-dir DIR] [--rpc-url URL] [--deployments FILE]";

/** `fomo index status [--json] …` (each source's cursor, lag and last reorg) and `fomo index run …` (the indexer alone). */
export function parseIndexArgs(args: string[]): IndexOptions {
  const [sub, ...rest] = args;
  if (sub !== "status" && sub !== "run") throw new UsageError(`fomo index: unknown subcommand ${sub ?? "(none)"} (usage: fomo ${INDEX_USAGE})`);
  const json = sub === "status" && rest.includes("--json");
  const flags = rest.filter((a) => !(json && a === "--json"));
  const defaults = { ...chainDefaults(), confirmations: "0", "max-range": "2000" };
  return parseFlags(flags, INDEX_USAGE, defaults, (v) => {
    return {
      command: sub,
      ...chainOptions(v),
      json,
      confirmations: parseCount(v.confirmations!, "--confirmations", 0),
      maxRange: parseCount(v["max-range"]!, "--max-range", 1),
    };
  });
}

/** Where a command finds the chain and its deployments (the local stack's by default). */
export interface ChainOptions {
  dataDir: string;
  rpcUrl: string;
  /** Deployments file; absent: the local stack's. */
  deployments?: string;
  /** How often the chain is polled for new blocks and receipts, ms; absent: the chain's default (chain.ts receiptPollMs). */
  pollMs?: number;
}

export interface EpochOptions extends ChainOptions {
  command: "run" | "status" | "verify";
  /** run: this epoch only (default: every due one); verify: required. */
  epoch?: bigint;
  /** verify: the input file (default `<data-dir>/epochs/<N>.json`). */
  file?: string;
  json: boolean;
}

export const CHAIN_FLAGS = "[--data-dir DIR] [--rpc-url URL] [--deployments FILE] [--poll-ms N]";
const EPOCH_USAGE =
  `epoch run [--epoch N] [--json] ${CHAIN_FLAGS} | epoch status [--json] ${CHAIN_FLAGS} | epoch verify --epoch N [--file F] [--json] ${CHAIN_FLAGS}`;

/** `fomo epoch run|status|verify …`: settle now, each epoch's step, check a published epoch against the chain. */
export function parseEpochArgs(args: string[]): EpochOptions {
  const [sub, ...rest] = args;
  if (sub !== "run" && sub !== "status" && sub !== "verify") throw new UsageError(`fomo epoch: unknown subcommand ${sub ?? "(none)"} (usage: fomo ${EPOCH_USAGE})`);
  const [json, flags] = withoutSwitch(rest, "--json");
  const defaults: Record<string, string> = { ...chainDefaults() };
  if (sub !== "status") defaults.epoch = "";
  if (sub === "verify") defaults.file = "";
  return parseFlags(flags, EPOCH_USAGE, defaults, (v) => {
    if (sub === "verify" && !v.epoch) throw new Error(`fomo epoch verify: --epoch is required (usage: fomo ${EPOCH_USAGE})`);
    return {
      command: sub,
      ...chainOptions(v),
      ...(v.epoch ? { epoch: BigInt(parseCount(v.epoch, "--epoch", 0)) } : {}),
      ...(v.file ? { file: v.file } : {}),
      json,
    };
  });
}

export interface KeeperRunOptions extends ChainOptions {}

const KEEPER_USAGE = `keeper run ${CHAIN_FLAGS}`;

/** `fomo keeper run …`: the keeper's long-running process. */
export function parseKeeperArgs(args: string[]): KeeperRunOptions {
  const [sub, ...rest] = args;
  if (sub !== "run") throw new UsageError(`fomo keeper: unknown subcommand ${sub ?? "(none)"} (usage: fomo ${KEEPER_USAGE})`);
  return parseFlags(rest, KEEPER_USAGE, chainDefaults(), chainOptions);
}

export function chainDefaults(): Record<string, string> {
  return { "data-dir": DEFAULT_DATA_DIR, "rpc-url": LOCAL_RPC_URL, deployments: "", "poll-ms": "" };
}

export function chainOptions(v: Record<string, string | undefined>): ChainOptions {
  if (!/^https?:\/\/[^/]/.test(v["rpc-url"]!)) throw new Error(`--rpc-url: not an http(s) URL: ${v["rpc-url"]}`);
  return {
    dataDir: v["data-dir"]!,
    rpcUrl: v["rpc-url"]!,
    ...(v.deployments ? { deployments: v.deployments } : {}),
    ...(v["poll-ms"] ? { pollMs: parseCount(v["poll-ms"], "--poll-ms", 50, 60_000) } : {}),
  };
}

/** A flag without a value (`--json`): whether it was given, and the other arguments. */
export function withoutSwitch(args: string[], name: string): [boolean, string[]] {
  return [args.includes(name), args.filter((a) => a !== name)];
}

export function parseCount(value: string, flag: string, least: number, most = Number.MAX_SAFE_INTEGER): number {
  const n = Number(value);
  const range = most === Number.MAX_SAFE_INTEGER ? `≥ ${least}` : `from ${least} to ${most}`;
  if (!/^\d+$/.test(value) || n < least || n > most || !Number.isSafeInteger(n)) throw new Error(`${flag}: not a whole number ${range}: ${value}`);
  return n;
}

/** --credits: a decimal USD string ("12", "0.50", up to 6 decimals) to integer micro-USD (the SDK's parseUsd). */
export function parseCredits(usd: string): bigint {
  try {
    return parseUsd(usd);
  } catch (e) {
    throw new Error(`--credits: ${(e as Error).message}`);
  }
}

export function parsePort(value: string, flag = "--port"): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new Error(`${flag}: not a port: ${value}`);
  return port;
}

/** `--name value` flags with defaults; any other token is an error naming the command's usage. */
export function parseFlags<T>(
  args: string[],
  usage: string,
  defaults: Record<string, string>,
  build: (values: Record<string, string | undefined>) => T,
): T {
  const values: Record<string, string | undefined> = { ...defaults };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    const value = args[i + 1];
    if (!flag.startsWith("--") || value === undefined) throw new UsageError(`fomo: bad option ${flag} (usage: fomo ${usage})`);
    const name = flag.slice(2);
    if (!(name in defaults)) throw new UsageError(`fomo: unknown option ${flag} (usage: fomo ${usage})`);
    values[name] = value;
  }
  try {
    return build(values);
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}
