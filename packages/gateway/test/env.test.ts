// The processes' environment (config/env.ts): the defaults of an empty environment, each variable's
// accepted and refused values (the error names the variable and never echoes a secret), the one-reader
// rule over packages/*/src, and docs/operations.md's table kept in step with the list.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, it } from "node:test";
import { ENV_VARIABLES, readEnv } from "../src/config/env.ts";

const REPO = resolve(import.meta.dirname, "../../..");
const KEY = "0x" + "ab".repeat(32);

/** readEnv's refusal of `value` for `name`: the message names the variable and states what it accepts. */
function refused(name: string, value: string, accepted: RegExp): Error {
  let error: Error | undefined;
  try {
    readEnv({ [name]: value });
  } catch (e) {
    error = e as Error;
  }
  assert.ok(error, `${name}=${value} should be refused`);
  assert.ok(error.message.startsWith(`${name} must be `), error.message);
  assert.match(error.message, accepted);
  return error;
}

describe("readEnv", () => {
  it("gives today's defaults for an empty environment, and treats an empty value as unset", () => {
    for (const env of [{}, Object.fromEntries(ENV_VARIABLES.map((v) => [v.name, ""]))]) {
      const config = readEnv(env);
      // Unset: SQLite in the data dir, in-process limits, instance "gateway", the data dir's key, /metrics open, <repo>/models.
      for (const key of ["databaseUrl", "redisUrl", "instanceId", "gatewayKey", "metricsToken", "modelsDir", "stripeSecretKey", "stripeWebhookSecret", "platformDomain"] as const) assert.equal(config[key], undefined, key);
      assert.equal(config.receiptSigningThread, false);
      assert.equal(config.sqliteSync, "normal");
      assert.equal(Object.keys(config).length, ENV_VARIABLES.length);
    }
  });

  it("reads every variable, into a frozen object", () => {
    const config = readEnv({
      DATABASE_URL: "postgresql://fomo:pw@db/fomo",
      REDIS_URL: "rediss://:pw@redis:6380",
      FOMO_INSTANCE_ID: "gw-1",
      FOMO_GATEWAY_KEY: ` ${KEY}\n`,
      FOMO_METRICS_TOKEN: "scrape-me",
      FOMO_RECEIPT_SIGNING_THREAD: "1",
      FOMO_SQLITE_SYNC: "FULL",
      FOMO_MODELS_DIR: "models-elsewhere",
      STRIPE_SECRET_KEY: "sk_test_abc123",
      STRIPE_WEBHOOK_SECRET: "whsec_abc123",
      FOMO_PLATFORM_DOMAIN: "app.fomo.example",
      FOMO_KEEPER_KEY: KEY,
      FOMO_PRIVATE_KEY: KEY,
      FOMO_KEYSTORE_PASSWORD: "hunter2",
      UNRELATED: "x",
    });
    assert.deepEqual(
      { ...config },
      {
        databaseUrl: "postgresql://fomo:pw@db/fomo",
        redisUrl: "rediss://:pw@redis:6380",
        instanceId: "gw-1",
        gatewayKey: ` ${KEY}\n`,
        metricsToken: "scrape-me",
        receiptSigningThread: true,
        sqliteSync: "full",
        modelsDir: "models-elsewhere",
        stripeSecretKey: "sk_test_abc123",
        stripeWebhookSecret: "whsec_abc123",
        platformDomain: "app.fomo.example",
        keeperKey: KEY,
        privateKey: KEY,
        keystorePassword: "hunter2",
      },
    );
    assert.ok(Object.isFrozen(config));
    assert.equal(readEnv({ FOMO_RECEIPT_SIGNING_THREAD: "0" }).receiptSigningThread, false);
    assert.equal(readEnv({ FOMO_SQLITE_SYNC: "normal" }).sqliteSync, "normal");
    assert.equal(readEnv({ DATABASE_URL: "POSTGRES://db/fomo" }).databaseUrl, "POSTGRES://db/fomo");
    assert.equal(readEnv({ REDIS_URL: "redis://127.0.0.1:6379" }).redisUrl, "redis://127.0.0.1:6379");
  });

  it("refuses a DATABASE_URL that is not a postgres:// URL, its password redacted", () => {
    const e = refused("DATABASE_URL", "mysql://fomo:hunter2@db/fomo", /a postgres:\/\/ URL, got mysql:\/\/fomo:\*\*\*@db\/fomo/);
    assert.ok(!e.message.includes("hunter2"));
    refused("DATABASE_URL", "ledger.sqlite", /got ledger\.sqlite/);
  });

  it("refuses a REDIS_URL that is not a redis:// URL, its password redacted", () => {
    const e = refused("REDIS_URL", "http://user:hunter2@redis:6379", /a redis:\/\/ or rediss:\/\/ URL.*, got http:\/\/user:\*\*\*@redis:6379/);
    assert.ok(!e.message.includes("hunter2"));
    const userless = refused("REDIS_URL", "http://:hunter2@redis:6379", /got http:\/\/:\*\*\*@redis:6379/);
    assert.ok(!userless.message.includes("hunter2"));
    // ioredis takes a bare host:port as redis://host:port, so it keeps working (spelled out).
    assert.equal(readEnv({ REDIS_URL: "redis-host:6379" }).redisUrl, "redis://redis-host:6379");
    refused("REDIS_URL", "/tmp/redis.sock", /redis:\/\/ or rediss:\/\/ URL/);
    refused("REDIS_URL", "6379", /got 6379/);
    refused("REDIS_URL", "not a url", /got not a url/);
  });

  it("refuses a FOMO_GATEWAY_KEY that is not a 32-byte hex private key, without echoing it", () => {
    for (const bad of [KEY.slice(0, -2), KEY.slice(2), KEY.slice(0, -1) + "g", "secret-" + "cd".repeat(20)]) {
      const e = refused("FOMO_GATEWAY_KEY", bad, /a 0x-prefixed 32-byte hex private key/);
      assert.ok(!e.message.includes(bad) && !e.message.includes(bad.slice(2, 20)), e.message);
    }
  });

  it("refuses FOMO_SQLITE_SYNC outside normal/full and a flag that is not 0/1", () => {
    refused("FOMO_SQLITE_SYNC", "off", /'normal' or 'full'.*got 'off'/);
    for (const bad of ["true", "yes", "2"]) refused("FOMO_RECEIPT_SIGNING_THREAD", bad, new RegExp(`0 or 1, got '${bad}'`));
  });

  it("refuses Stripe secrets of the wrong form without echoing them, and a platform domain with a scheme", () => {
    for (const [name, bad] of [["STRIPE_SECRET_KEY", "pk_test_publishable123"], ["STRIPE_SECRET_KEY", "sk_test_abc 123"], ["STRIPE_WEBHOOK_SECRET", "sk_test_abc123"]] as const) {
      const e = refused(name, bad, name === "STRIPE_SECRET_KEY" ? /sk_… or rk_…/ : /whsec_…/);
      assert.ok(!e.message.includes(bad) && !e.message.includes(bad.slice(3)), e.message);
    }
    refused("FOMO_PLATFORM_DOMAIN", "https://app.fomo.example", /a host or host:port.*got 'https:\/\/app\.fomo\.example'/);
    assert.equal(readEnv({ FOMO_PLATFORM_DOMAIN: "localhost:8788" }).platformDomain, "localhost:8788");
  });

  it("never puts a secret's value in any error", () => {
    const secrets = ENV_VARIABLES.filter((v) => v.secret).map((v) => v.name);
    assert.deepEqual(secrets.sort(), ["DATABASE_URL", "FOMO_GATEWAY_KEY", "FOMO_KEEPER_KEY", "FOMO_KEYSTORE_PASSWORD", "FOMO_METRICS_TOKEN", "FOMO_PRIVATE_KEY", "REDIS_URL", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]);
    // A good secret next to a bad variable: the error is about the bad one only.
    const e = refused("FOMO_SQLITE_SYNC", "off", /FOMO_SQLITE_SYNC/);
    assert.throws(() => readEnv({ FOMO_METRICS_TOKEN: "scrape-me", FOMO_GATEWAY_KEY: KEY, FOMO_SQLITE_SYNC: "off" }), (err: Error) => err.message === e.message);
  });
});

/** Every .ts file under packages/<pkg>/src. */
function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry)) files.push(path);
    }
  };
  for (const pkg of readdirSync(join(REPO, "packages"))) {
    // @fomo/testkit is test support, not a process: it reads the test run's CI, DATABASE_URL, PG_BIN and PATH itself.
    if (pkg === "testkit") continue;
    const src = join(REPO, "packages", pkg, "src");
    if (statSync(join(REPO, "packages", pkg)).isDirectory() && readdirSync(join(REPO, "packages", pkg)).includes("src")) walk(src);
  }
  return files;
}

describe("the environment's one reader", () => {
  it("is config/env.ts: no other source file of packages/*/src reads process.env", () => {
    const files = sourceFiles();
    assert.ok(files.some((f) => f.endsWith(join("gateway", "src", "config", "env.ts"))), "the scan sees env.ts");
    const readers = files
      .filter((f) => !f.endsWith(join("gateway", "src", "config", "env.ts")))
      .filter((f) => /process\s*\.\s*env\b|process\s*\[\s*["'`]env["'`]\s*\]/.test(readFileSync(f, "utf8")))
      .map((f) => relative(REPO, f));
    assert.deepEqual(readers, [], "read the variable in packages/gateway/src/config/env.ts and pass its value down");
  });
});

describe("docs/operations.md", () => {
  it("has the Environment variables table, one row per variable of the list, in its order", () => {
    const doc = readFileSync(join(REPO, "docs", "operations.md"), "utf8");
    const section = doc.split(/^## /m).find((s) => s.startsWith("Environment variables\n"));
    assert.ok(section, "docs/operations.md has a '## Environment variables' section");
    const rows = section.split("\n").filter((l) => l.startsWith("| `"));
    assert.deepEqual(
      rows,
      ENV_VARIABLES.map((v) => `| \`${v.name}\` | ${v.default} | ${v.meaning} | ${v.secret ? "yes" : "no"} | ${v.accepts} |`),
    );
  });
});
