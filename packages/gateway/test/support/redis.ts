// A real redis-server for tests: a throwaway one on 127.0.0.1, a free port and a temp dir (no
// persistence), killed at the end. It can be stopped and started again on the same port, to test
// what the gateway does while Redis is down.
//
// When no redis-server binary exists: under CI (CI=true) the Redis tests FAIL with a message saying
// how to install it (scripts/ci-redis.sh); elsewhere they are skipped with a notice.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { freePort } from "@fomo/testkit/ports";
import { describeRequiring } from "@fomo/testkit/requires";

export interface RedisServer {
  readonly url: string;
  /** Stop the server (SIGTERM, no save); its data is gone. */
  stop(): Promise<void>;
  /** Start it again, empty, on the same port. */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open but nothing is answered (a hung server). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Stop it for good and delete its directory. */
  close(): Promise<void>;
}

/** redis-server: $REDIS_SERVER, else on $PATH, else Debian's /usr/bin. */
export function findRedisServer(): string | undefined {
  const explicit = process.env.REDIS_SERVER;
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/bin", "/usr/sbin"];
  return dirs.map((dir) => join(dir, "redis-server")).find((path) => existsSync(path));
}

const MISSING =
  "redis-server not found: install it (scripts/ci-redis.sh, or apt-get install redis-server) or set REDIS_SERVER to its path";

/** describe() for suites that start redis-servers (startRedis()): skipped without the binary, failed under CI. */
export function describeWithRedis(title: string, body: () => void): void {
  describeRequiring(title, "Redis", findRedisServer() ? undefined : MISSING, body);
}

export async function startRedis(): Promise<RedisServer> {
  const binary = findRedisServer();
  if (!binary) throw new Error(MISSING);
  const dir = mkdtempSync(join(tmpdir(), "fomo-redis-"));
  let port = 0;
  let child: ChildProcess | undefined;
  // A crashed test run must not leave a redis-server behind.
  const killNow = () => child?.kill("SIGKILL");
  process.once("exit", killNow);

  const launch = async () => {
    const args = ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--save", "", "--appendonly", "no"];
    const started = spawn(binary, [...args, "--daemonize", "no", "--loglevel", "notice"], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    await new Promise<void>((resolve, reject) => {
      const collect = (data: Buffer) => {
        output += data.toString();
        if (output.includes("Ready to accept connections")) resolve();
      };
      started.stdout!.on("data", collect);
      started.stderr!.on("data", collect);
      started.once("exit", () => reject(new Error(`redis-server exited:\n${output}`)));
    });
    child = started;
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, "exit");
    running.kill("SIGTERM");
    await exited;
  };

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      // The free port may have been taken between probing and binding: try another one.
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    stop,
    start: launch,
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    async close() {
      await stop();
      process.removeListener("exit", killNow);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
