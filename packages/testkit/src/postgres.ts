// A real PostgreSQL for tests. With DATABASE_URL (postgres://…) set, tests use that server; otherwise
// a throwaway cluster is created in a temp dir (initdb, 127.0.0.1 on a free port, fsync off) and
// removed at the end. Each createDatabase() is a fresh, empty database, dropped by stop().
//
// When no PostgreSQL can be found: under CI (CI=true) the PostgreSQL tests FAIL with a message
// saying how to install it (scripts/ci-postgres.sh); elsewhere they are skipped with a notice.
import { execFile as execFileCb, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./ports.ts";

const execFile = promisify(execFileCb);

export interface PostgresServer {
  /** A new empty database on the server; its URL. */
  createDatabase(): Promise<string>;
  /** Drop the databases created here, stop the cluster if we started it, delete its files. */
  stop(): Promise<void>;
  /** Where it came from, for test output. */
  readonly description: string;
}

export type PostgresAvailability = { available: true; source: string } | { available: false; reason: string };

export function isCI(): boolean {
  const ci = process.env.CI?.toLowerCase();
  return ci !== undefined && ci !== "" && ci !== "false" && ci !== "0";
}

function externalUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  return url && /^postgres(ql)?:\/\//i.test(url) ? url : undefined;
}

/** The directory holding initdb/pg_ctl: $PG_BIN, the newest /usr/lib/postgresql/<v>/bin, or $PATH. */
export function findPostgresBin(): string | undefined {
  const hasTools = (dir: string) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"));
  if (process.env.PG_BIN) return hasTools(process.env.PG_BIN) ? process.env.PG_BIN : undefined;
  const debian = "/usr/lib/postgresql";
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a));
    for (const v of versions) if (hasTools(join(debian, v, "bin"))) return join(debian, v, "bin");
  }
  return (process.env.PATH ?? "").split(delimiter).find((dir) => dir !== "" && hasTools(dir));
}

/** initdb refuses to run as root: then the cluster belongs to (and runs as) the `postgres` user. */
function clusterUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

export function postgresAvailability(): PostgresAvailability {
  const url = externalUrl();
  if (url) return { available: true, source: "DATABASE_URL" };
  const bin = findPostgresBin();
  if (!bin) {
    return {
      available: false,
      reason:
        "PostgreSQL server binaries (initdb, pg_ctl) not found: install them (scripts/ci-postgres.sh, or " +
        "apt-get install postgresql), set PG_BIN to their directory, or set DATABASE_URL=postgres://…",
    };
  }
  if (process.getuid?.() === 0) {
    try {
      clusterUser();
    } catch {
      return { available: false, reason: "running as root and there is no `postgres` user to run initdb as" };
    }
  }
  return { available: true, source: bin };
}

export async function startPostgres(): Promise<PostgresServer> {
  const url = externalUrl();
  if (url) return databasesOn(url, "DATABASE_URL", async () => {});
  const bin = findPostgresBin();
  if (!bin) throw new Error((postgresAvailability() as { reason: string }).reason);
  return startCluster(bin);
}

/** util-linux's runuser: in /usr/sbin or /sbin, which a minimal PATH (as in CI) may leave out. */
function runuser(): string {
  const found = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((p) => existsSync(p));
  return found ?? "runuser";
}

async function startCluster(bin: string): Promise<PostgresServer> {
  const user = clusterUser();
  const dir = mkdtempSync(join(tmpdir(), "fomo-pg-"));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  const log = join(dir, "postgres.log");
  const run = (tool: string, args: string[]) =>
    user ? execFile(runuser(), ["-u", "postgres", "--", join(bin, tool), ...args]) : execFile(join(bin, tool), args);
  const stopNow = () => {
    // Synchronous, so it also works from a process 'exit' handler.
    try {
      const args = ["-D", data, "-m", "immediate", "-w", "stop"];
      if (user) execFileSync(runuser(), ["-u", "postgres", "--", join(bin, "pg_ctl"), ...args], { stdio: "ignore" });
      else execFileSync(join(bin, "pg_ctl"), args, { stdio: "ignore" });
    } catch {
      // not running
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed or interrupted test run must not leave a postmaster behind: stop it on exit, and on
  // SIGINT/SIGTERM (which skip 'exit') before dying of the signal as usual.
  const onSignal = (signal: NodeJS.Signals) => {
    stopNow();
    process.kill(process.pid, signal);
  };
  const unhook = () => {
    process.removeListener("exit", stopNow);
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  };
  process.once("exit", stopNow);
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    await run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      const options = [
        "-c listen_addresses=127.0.0.1",
        `-c port=${port}`,
        `-c unix_socket_directories=${dir}`,
        "-c fsync=off",
        "-c synchronous_commit=off",
        "-c full_page_writes=off",
        "-c max_connections=100",
      ].join(" ");
      try {
        await run("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "60", "-o", options, "start"]);
        break;
      } catch (error) {
        // The free port may have been taken between probing and binding: try another one.
        if (attempt >= 3) throw new Error(`pg_ctl start failed: ${String(error)}\n${readLog(log)}`);
      }
    }
    return await databasesOn(`postgres://postgres@127.0.0.1:${port}/postgres`, `throwaway cluster (${bin})`, async () => {
      unhook();
      stopNow();
    });
  } catch (error) {
    unhook();
    stopNow();
    throw error;
  }
}

/** Fresh databases on a server reachable at adminUrl; `shutdown` runs after they are dropped. */
async function databasesOn(adminUrl: string, description: string, shutdown: () => Promise<void>): Promise<PostgresServer> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const created: string[] = [];
  return {
    description,
    async createDatabase() {
      const name = `fomo_test_${process.pid}_${Date.now().toString(36)}_${created.length}`;
      await admin.query(`create database ${name}`);
      created.push(name);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      try {
        for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
        await shutdown();
      }
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, "utf8").slice(-4_000);
  } catch {
    return "";
  }
}
