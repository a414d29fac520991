// The token buckets of ratelimit.ts in Redis, so that every gateway behind a load balancer draws on
// the same per-key RPM and TPM allowance. Each take/give is one Lua script: read, refill, update and
// expire happen atomically on the server, with Redis' own TIME as the clock so gateways whose clocks
// drift still agree. A bucket that refills to full is deleted, and one that is not full expires
// when it would be, so idle keys cost nothing.
import type { Logger } from "pino";
import { Redis, type RedisOptions } from "ioredis";
import { retryAfterSeconds, type RateLimiter } from "./ratelimit.ts";

// KEYS[1]: the bucket. ARGV: 'take' | 'give', perMinute, amount, clock in ms ('' = Redis TIME).
// Returns the tokens missing for a take (0 when taken), as a string: Redis truncates Lua numbers.
// The arithmetic is InProcessRateLimiter's, operation for operation, on the same doubles; '%.17g'
// stores them exactly.
const BUCKET_SCRIPT = `
local capacity = tonumber(ARGV[2])
local amount = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
local ownClock = now == nil
if ownClock then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local state = redis.call('HMGET', KEYS[1], 'level', 'at')
local level = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
level = math.min(capacity, level + (math.max(0, now - at) * capacity) / 60000)
local missing = 0
if ARGV[1] == 'take' then
  if amount <= level then level = level - amount else missing = amount - level end
else
  level = math.min(capacity, level + amount)
end
if level >= capacity then
  redis.call('DEL', KEYS[1])
else
  redis.call('HSET', KEYS[1], 'level', string.format('%.17g', level), 'at', string.format('%.17g', now))
  -- Expiry runs on Redis' clock: with a caller's clock, when the bucket fills is not Redis' to know.
  if ownClock then
    redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((capacity - level) * 60000 / capacity)))
  else
    redis.call('PERSIST', KEYS[1])
  end
end
return string.format('%.17g', missing)
`;

type BucketRedis = Redis & {
  fomoBucket(key: string, op: "take" | "give", perMinute: number, amount: number, clock: string): Promise<string>;
};

export interface RedisRateLimiterOptions {
  /** Prefix of the bucket keys (default 'fomo:ratelimit:'). */
  prefix?: string;
  /** Clock in ms instead of Redis TIME (tests); buckets then never expire. */
  now?: () => number;
}

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: BucketRedis;
  readonly #prefix: string;
  readonly #now: (() => number) | undefined;

  /** Buckets on `redis` (an ioredis client this limiter does not own). */
  constructor(redis: Redis, options: RedisRateLimiterOptions = {}) {
    // defineCommand sends EVALSHA and falls back to EVAL when the server lost its script cache.
    if (!("fomoBucket" in redis)) redis.defineCommand("fomoBucket", { numberOfKeys: 1, lua: BUCKET_SCRIPT });
    this.#redis = redis as BucketRedis;
    this.#prefix = options.prefix ?? "fomo:ratelimit:";
    this.#now = options.now;
  }

  async take(id: string, perMinute: number, amount: number): Promise<number> {
    const missing = Number(await this.#run("take", id, perMinute, amount));
    return retryAfterSeconds(missing, amount, perMinute);
  }

  async give(id: string, perMinute: number, amount: number): Promise<void> {
    await this.#run("give", id, perMinute, amount);
  }

  #run(op: "take" | "give", id: string, perMinute: number, amount: number): Promise<string> {
    const clock = this.#now ? String(this.#now()) : "";
    return this.#redis.fomoBucket(this.#prefix + id, op, perMinute, amount, clock);
  }
}

/**
 * Bounds that keep a request from ever waiting long on Redis: a command that is not answered in
 * `commandTimeout` fails, and while disconnected commands fail at once instead of queueing
 * (the fail-open policy then admits the request); reconnects retry in the background.
 */
export const REDIS_LIMITER_DEFAULTS: RedisOptions = {
  connectTimeout: 1_000,
  commandTimeout: 250,
  maxRetriesPerRequest: 0,
  enableOfflineQueue: false,
  retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  lazyConnect: true,
};

/**
 * An ioredis client for the limiter, connected (or not: a Redis that is down at start leaves the
 * gateway serving under the fail-open policy while the client keeps reconnecting). Connection
 * errors are logged once per outage, never with the URL's password.
 */
export async function connectLimiterRedis(url: string, logger?: Logger, options: RedisOptions = {}): Promise<Redis> {
  const redis = new Redis(url, { ...REDIS_LIMITER_DEFAULTS, ...options });
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    logger?.warn({ error: error.message }, "redis for rate limits unreachable, reconnecting");
  });
  redis.on("ready", () => {
    if (down) logger?.info("redis for rate limits reconnected");
    down = false;
  });
  try {
    await redis.connect();
  } catch {
    // Already logged by the error handler; the client keeps retrying.
  }
  return redis;
}
