// Per-key RPM/TPM token buckets: in this process, or shared by every gateway through Redis.
export { FailOpenRateLimiter, InProcessRateLimiter, type RateLimiter } from "./ratelimit.ts";
export { RedisRateLimiter, connectLimiterRedis, type RedisRateLimiterOptions } from "./redis.ts";
