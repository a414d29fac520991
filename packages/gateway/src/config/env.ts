// Every environment variable the gateway and CLI processes read, in one list: each is read and
// checked once, at the process's entry (the CLI command, or startGatewayServer), and passed down as a
// value. docs/operations.md#environment-variables is the operator's table of this list (a test keeps
// them in step); no other file reads process.env (a test keeps that too).
import { isPostgresUrl, redactUrl, sqliteSyncMode, type SqliteSync } from "@fomo/ledger";
import { isPrivateKeyHex } from "../receipts/key.ts";

export interface EnvConfig {
  /** DATABASE_URL: a postgres:// URL; SQLite in the data dir when absent. */
  readonly databaseUrl: string | undefined;
  /** REDIS_URL: a redis:// URL sharing rate limits between instances; in-process limits when absent. */
  readonly redisUrl: string | undefined;
  /** FOMO_INSTANCE_ID: this instance's id in a shared ledger; "gateway" when absent. */
  readonly instanceId: string | undefined;
  /** FOMO_GATEWAY_KEY: the receipt-signing key; the data dir's own when absent. */
  readonly gatewayKey: string | undefined;
  /** FOMO_METRICS_TOKEN: bearer token GET /metrics requires; open when absent. */
  readonly metricsToken: string | undefined;
  /** FOMO_RECEIPT_SIGNING_THREAD. */
  readonly receiptSigningThread: boolean;
  /** FOMO_SQLITE_SYNC. */
  readonly sqliteSync: SqliteSync;
  /** FOMO_MODELS_DIR, as given (resolved against the working directory where it is used). */
  readonly modelsDir: string | undefined;
  /** STRIPE_SECRET_KEY: the platform API's Stripe key; no top-ups when absent. */
  readonly stripeSecretKey: string | undefined;
  /** STRIPE_WEBHOOK_SECRET: the signing secret of the platform's Stripe webhook endpoint. */
  readonly stripeWebhookSecret: string | undefined;
  /** FOMO_PLATFORM_DOMAIN: the domain (host[:port]) Sign-In with Ethereum messages must name. */
  readonly platformDomain: string | undefined;
  /** FOMO_KEEPER_KEY: the keeper's signing key on a real network (the local stack's is a dev account). */
  readonly keeperKey: string | undefined;
  /** FOMO_PRIVATE_KEY: the key user commands (`fomo buy`, `stake`, …) sign with on a real network. */
  readonly privateKey: string | undefined;
  /** FOMO_KEYSTORE_PASSWORD: the password of the keystore file given by `--keystore FILE`. */
  readonly keystorePassword: string | undefined;
}

export interface EnvVariable<K extends keyof EnvConfig = keyof EnvConfig> {
  name: string;
  key: K;
  meaning: string;
  /** The default, as the operator's table shows it. */
  default: string;
  /** Never echoed in an error or a log. */
  secret: boolean;
  /** The accepted form, as an error states it. */
  accepts: string;
  /** The value from a set, non-empty string; throws a bare reason (readEnv names the variable). */
  parse(value: string): EnvConfig[K];
}

/** ioredis reads a bare host:port as redis://host:port: kept working, written out so logs show the host. */
const BARE_HOST_PORT = /^[^/:@\s]+:\d+$/;

function redisUrl(given: string): string {
  const value = BARE_HOST_PORT.test(given) ? `redis://${given}` : given;
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new Error(`got ${redactUrl(given)}`);
  }
  if (protocol !== "redis:" && protocol !== "rediss:") throw new Error(`got ${redactUrl(given)}`);
  return value;
}

function flag(value: string): boolean {
  if (value === "1") return true;
  if (value === "0") return false;
  throw new Error(`got '${value}'`);
}

const asIs = (value: string): string => value;

function privateKey(value: string): string {
  if (!isPrivateKeyHex(value)) throw new Error("got something else (not shown: it is a secret)");
  return value;
}

/** The declarative list: docs/operations.md's table is checked against it. */
export const ENV_VARIABLES = [
  {
    name: "DATABASE_URL",
    key: "databaseUrl",
    meaning: "The ledger in PostgreSQL (every instance of a cluster shares it); `fomo keys create` writes there too",
    default: "SQLite `ledger.sqlite` in the data dir",
    secret: true,
    accepts: "a postgres:// URL",
    parse: (value: string) => {
      if (!isPostgresUrl(value)) throw new Error(`got ${redactUrl(value)}`);
      return value;
    },
  } satisfies EnvVariable<"databaseUrl">,
  {
    name: "REDIS_URL",
    key: "redisUrl",
    meaning: "Per-key RPM/TPM rate limits shared by every instance through Redis",
    default: "limits kept in each process",
    secret: true,
    accepts: "a redis:// or rediss:// URL (a bare host:port means redis://host:port)",
    parse: redisUrl,
  } satisfies EnvVariable<"redisUrl">,
  {
    name: "FOMO_INSTANCE_ID",
    key: "instanceId",
    meaning: "This instance's id in a shared ledger, stable across its restarts (its holds are reconciled by it)",
    default: "`gateway`",
    secret: false,
    accepts: "any non-empty string",
    parse: asIs,
  } satisfies EnvVariable<"instanceId">,
  {
    name: "FOMO_GATEWAY_KEY",
    key: "gatewayKey",
    meaning: "The usage-receipt signing key (one for every instance of a cluster)",
    default: "a key generated in the data dir at the first start",
    secret: true,
    accepts: "a 0x-prefixed 32-byte hex private key",
    parse: privateKey,
  } satisfies EnvVariable<"gatewayKey">,
  {
    name: "FOMO_METRICS_TOKEN",
    key: "metricsToken",
    meaning: "Bearer token `GET /metrics` requires (401 without it)",
    default: "`/metrics` open",
    secret: true,
    accepts: "any non-empty string",
    parse: asIs,
  } satisfies EnvVariable<"metricsToken">,
  {
    name: "FOMO_RECEIPT_SIGNING_THREAD",
    key: "receiptSigningThread",
    meaning: "`1`: sign usage receipts on a worker thread instead of the event loop",
    default: "`0`",
    secret: false,
    accepts: "0 or 1",
    parse: flag,
  } satisfies EnvVariable<"receiptSigningThread">,
  {
    name: "FOMO_SQLITE_SYNC",
    key: "sqliteSync",
    meaning: "SQLite durability: `normal` group-commits fsyncs, `full` fsyncs each commit on its own",
    default: "`normal`",
    secret: false,
    accepts: "'normal' or 'full' (any case)",
    parse: (value: string) => {
      try {
        return sqliteSyncMode(value);
      } catch {
        throw new Error(`got '${value}'`);
      }
    },
  } satisfies EnvVariable<"sqliteSync">,
  {
    name: "FOMO_MODELS_DIR",
    key: "modelsDir",
    meaning: "Where GGUF model files are looked for first (relative: to the working directory), before `<repo>/models`",
    default: "`<repo>/models` only",
    secret: false,
    accepts: "a directory path",
    parse: asIs,
  } satisfies EnvVariable<"modelsDir">,
  {
    name: "STRIPE_SECRET_KEY",
    key: "stripeSecretKey",
    meaning: "Stripe API key of the platform API's card top-ups (`POST /api/v1/billing/checkout`); needs `STRIPE_WEBHOOK_SECRET` too",
    default: "no top-ups (`/billing` answers 404)",
    secret: true,
    accepts: "a Stripe secret or restricted key (sk_… or rk_…)",
    parse: (value: string) => {
      if (!/^(sk|rk)_(test|live)_[A-Za-z0-9]+$/.test(value)) throw new Error("got something else (not shown: it is a secret)");
      return value;
    },
  } satisfies EnvVariable<"stripeSecretKey">,
  {
    name: "STRIPE_WEBHOOK_SECRET",
    key: "stripeWebhookSecret",
    meaning: "Signing secret of the platform's Stripe webhook endpoint (`POST /api/v1/billing/stripe/webhook`)",
    default: "no top-ups",
    secret: true,
    accepts: "a Stripe webhook signing secret (whsec_…)",
    parse: (value: string) => {
      if (!/^whsec_[A-Za-z0-9+/=_-]+$/.test(value)) throw new Error("got something else (not shown: it is a secret)");
      return value;
    },
  } satisfies EnvVariable<"stripeWebhookSecret">,
  {
    name: "FOMO_PLATFORM_DOMAIN",
    key: "platformDomain",
    meaning: "The domain Sign-In with Ethereum messages must name (the web app's host); the platform API refuses any other",
    default: "`127.0.0.1:<platform port>` (local only: where `fomo up` serves the web app)",
    secret: false,
    accepts: "a host or host:port (no scheme, no path)",
    parse: (value: string) => {
      if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value)) throw new Error(`got '${value}'`);
      return value;
    },
  } satisfies EnvVariable<"platformDomain">,
  {
    name: "FOMO_KEEPER_KEY",
    key: "keeperKey",
    meaning: "The keeper's key (`fomo keeper run`, `fomo epoch run`): it holds the KEEPER role and is the settlement wallet paying the reported USDC",
    default: "on the local chain (31337) the dev account holding the keeper role; required elsewhere",
    secret: true,
    accepts: "a 0x-prefixed 32-byte hex private key",
    parse: privateKey,
  } satisfies EnvVariable<"keeperKey">,
  {
    name: "FOMO_PRIVATE_KEY",
    key: "privateKey",
    meaning: "The key the user commands (`fomo launch`, `buy`, `stake`, …) sign with, unless `--keystore FILE` or, on the local chain, `--from N` is given",
    default: "none (on the local chain: `--from N`, a dev account)",
    secret: true,
    accepts: "a 0x-prefixed 32-byte hex private key",
    parse: privateKey,
  } satisfies EnvVariable<"privateKey">,
  {
    name: "FOMO_KEYSTORE_PASSWORD",
    key: "keystorePassword",
    meaning: "The password decrypting the Ethereum (V3) keystore file of `--keystore FILE`",
    default: "none (asked on the terminal when it is one)",
    secret: true,
    accepts: "any non-empty string",
    parse: (value: string) => value,
  } satisfies EnvVariable<"keystorePassword">,
] as const;

const DEFAULTS: EnvConfig = {
  databaseUrl: undefined,
  redisUrl: undefined,
  instanceId: undefined,
  gatewayKey: undefined,
  metricsToken: undefined,
  receiptSigningThread: false,
  sqliteSync: "normal",
  modelsDir: undefined,
  stripeSecretKey: undefined,
  stripeWebhookSecret: undefined,
  platformDomain: undefined,
  keeperKey: undefined,
  privateKey: undefined,
  keystorePassword: undefined,
};

/**
 * The process's configuration from `env`, every value checked. An unset or empty variable takes its
 * default; a malformed one throws, naming the variable and the accepted form, never a secret's value.
 */
/**
 * The environment itself, for the variables an operator names in a file (a backends file's
 * `apiKeyEnv`): they cannot be listed here, so the process entry hands them over as they are.
 */
export function operatorNamedVariables(env: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string | undefined>> {
  return Object.freeze({ ...env });
}

export function readEnv(env: Readonly<Record<string, string | undefined>> = process.env): Readonly<EnvConfig> {
  const config: Record<string, unknown> = { ...DEFAULTS };
  for (const variable of ENV_VARIABLES as readonly EnvVariable[]) {
    const value = env[variable.name];
    if (value === undefined || value === "") continue;
    try {
      config[variable.key] = variable.parse(value);
    } catch (error) {
      throw new Error(`${variable.name} must be ${variable.accepts}, ${(error as Error).message}`);
    }
  }
  return Object.freeze(config as unknown as EnvConfig);
}
