// A scripted sequence of token-bucket operations, run on any RateLimiter with an injected clock:
// the in-process limiter's test checks its answers, the Redis limiter's test that it gives the same.
import type { RateLimiter } from "../../src/ratelimit/index.ts";

export interface ScriptedAnswers {
  /** What each take answered, in order. */
  takes: number[];
  /** The same takes, each with what it shows about the bucket. */
  expected: Array<[answer: number, why: string]>;
}

/** Runs the script on `limiter`, moving the clock with `setTime`. */
export async function runBucketScript(limiter: RateLimiter, setTime: (ms: number) => void): Promise<ScriptedAnswers> {
  const expected: Array<[number, string]> = [];
  const takes: number[] = [];
  const take = async (id: string, perMinute: number, amount: number, answer: number, why: string) => {
    takes.push(await limiter.take(id, perMinute, amount));
    expected.push([answer, why]);
  };
  setTime(0);
  await take("k", 60, 60, 0, "a full bucket");
  await take("k", 60, 1, 1, "empty: 1 token per second");
  setTime(1_000);
  await take("k", 60, 1, 0, "a second later");
  await take("k", 60, 30, 30, "30 missing at 1 per second");
  await limiter.give("k", 60, 100); // capped at the limit
  await take("k", 60, 60, 0, "given back up to the limit");
  await take("k", 60, 61, 60, "more than the limit can never fit");
  await take("other", 60, 60, 0, "buckets are per id");
  setTime(500);
  await take("other", 60, 1, 1, "a clock that steps back refills nothing");
  return { takes, expected };
}
