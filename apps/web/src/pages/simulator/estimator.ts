// The reward estimator: one epoch of the keeper's rewards computation with you among an $MT's users.
// It builds the epoch's input the way the keeper does (packages/engine/src/keeper/rewards.ts: E(epoch)
// from the emission schedule, each user's spend, time-weighted stake and gmFLOCK, the incentive pool's
// release, the other $MTs of the protocol) and hands it to the SDK's computeEpochRewards: every number
// shown comes out of the SDK, none is worked out here. Your scores are rewardScores' for the same users,
// the function computeEpochRewards shares the emission by.
import {
  allocateGraduation, BPS, computeEpochRewards, dailyEmission, linearlyVested, parseUsd, rewardScores, termsCurve, TOTAL_SUPPLY,
  type EpochClock, type EpochDeployment, type EpochRewards, type EpochRewardsInput, type MtEpochRewards, type RewardScore,
} from "@fomo/sdk";
import { defaultScenario } from "@fomo/sim";
import type { Address } from "viem";
import { parseDecimal } from "../../lib/amounts.ts";

/** One epoch is a day, as on the default schedule. */
export const ESTIMATOR_CLOCK: EpochClock = { start: 0n, length: 86_400n };
export const YOU = "you";
/** Stand-ins for the parties of the estimate (never on a chain): computeEpochRewards names deployments by address. */
export const ESTIMATE_FLOCK: Address = "0x000000000000000000000000000000000000f10c";
export const ESTIMATE_MT: Address = "0x00000000000000000000000000000000000000a1";
const ESTIMATE_ISSUER: Address = "0x0000000000000000000000000000000000000155";
const OTHER_MT: Address = "0x00000000000000000000000000000000000000a2";
const OTHER_ISSUER: Address = "0x0000000000000000000000000000000000000156";
/** computeEpochRewards' work grows with the users; the others are spread over at most this many. */
export const MAX_OTHER_USERS = 1_000;

/** The form, as typed: decimal strings of USD and whole tokens, whole numbers of days and users. */
export interface EstimatorForm {
  spendUsd: string;
  stakeMt: string;
  gm: string;
  othersSpendUsd: string;
  othersStakeMt: string;
  otherUsers: string;
  restSpendUsd: string;
  restAgeDays: string;
  ageDays: string;
  epoch: string;
}

const SCENARIO = defaultScenario();

/** The graduation of the default scenario's template at raiseMax: its incentive pool and circulating $MT. */
function templateGraduation() {
  const s = SCENARIO;
  return allocateGraduation({ allocation: s.allocation, curve: termsCurve(s.sale, s.allocation), raised: s.sale.raiseMax, surcharge: 0n });
}

/**
 * The defaults: the default scenario's (docs/simulator.md) — its first day's spend ($700: a million
 * requests at the template's price) and other deployments, its emission day at graduation; the others'
 * stake is its `stakedBps` of the $MT circulating after a raise to raiseMax.
 */
export function defaultForm(): EstimatorForm {
  const g = templateGraduation();
  const circulating = TOTAL_SUPPLY - g.mtBurned - g.mtToPool - g.mtToOperator - g.mtToIncentives - g.mtToTreasury;
  return {
    spendUsd: "10",
    stakeMt: "1000",
    gm: "0",
    othersSpendUsd: "690",
    othersStakeMt: wholeTokens((circulating * BigInt(SCENARIO.rewards.stakedBps)) / BPS),
    otherUsers: "99",
    restSpendUsd: usdText(SCENARIO.rewards.otherUsagePerDay),
    restAgeDays: String(SCENARIO.rewards.otherAgeDays),
    ageDays: "0",
    epoch: String(SCENARIO.rewards.emissionDayAtGraduation),
  };
}

const wholeTokens = (wei: bigint) => String(wei / 10n ** 18n);
const usdText = (microUsd: bigint) => String(microUsd / 1_000_000n);

export type FormErrors = Partial<Record<keyof EstimatorForm, string>>;

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

/** Reads fields exactly (USD by the SDK's parseUsd, tokens by viem's parseUnits), collecting the sentence of what is wrong with each. */
function reader(form: EstimatorForm, errors: FormErrors) {
  return {
    usd(key: keyof EstimatorForm) {
      const text = form[key].trim();
      if (!DECIMAL.test(text)) return void (errors[key] = "A USD amount, like 25 or 2.50.");
      try {
        return parseUsd(text);
      } catch (e) {
        errors[key] = (e as Error).message;
      }
    },
    tokens(key: keyof EstimatorForm) {
      const parsed = parseDecimal(form[key], 18, "an amount of tokens");
      if (parsed === undefined || "error" in parsed) return void (errors[key] = "An amount of tokens, like 1000 or 0.5.");
      return parsed.value;
    },
    whole(key: keyof EstimatorForm, most: number) {
      const text = form[key].trim();
      if (!WHOLE.test(text) || Number(text) > most) return void (errors[key] = `A whole number from 0 to ${most.toLocaleString("en-US")}.`);
      return BigInt(text);
    },
  };
}

/** Your day: what you spend, stake (held through the epoch) and hold in gmFLOCK. */
export interface YourDay {
  spend: bigint;
  stake: bigint;
  gm: bigint;
}

/** Your fields, read; the rest of the form is not looked at (an epoch of the network supplies it). */
export function readYou(form: EstimatorForm): { you: YourDay } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const read = reader(form, errors);
  const you = { spend: read.usd("spendUsd"), stake: read.tokens("stakeMt"), gm: read.tokens("gm") };
  return Object.keys(errors).length > 0 ? { errors } : { you: you as YourDay };
}

/** Every field of the form, read. */
export function readForm(form: EstimatorForm): { input: EstimatorInput } | { errors: FormErrors } {
  const errors: FormErrors = {};
  const read = reader(form, errors);
  const yours = readYou(form);
  if ("errors" in yours) Object.assign(errors, yours.errors);
  const input = {
    you: "you" in yours ? yours.you : undefined,
    othersSpend: read.usd("othersSpendUsd"),
    othersStake: read.tokens("othersStakeMt"),
    otherUsers: read.whole("otherUsers", MAX_OTHER_USERS),
    restSpend: read.usd("restSpendUsd"),
    restAgeDays: read.whole("restAgeDays", 100_000),
    ageDays: read.whole("ageDays", 100_000),
    epoch: read.whole("epoch", 1_000_000),
  };
  if (input.epoch !== undefined && input.ageDays !== undefined && input.ageDays > input.epoch) {
    errors.ageDays = "The $MT cannot have graduated before the schedule's day 0: at most the emission day.";
  }
  if (input.otherUsers === 0n && ((input.othersSpend ?? 0n) > 0n || (input.othersStake ?? 0n) > 0n)) {
    errors.otherUsers = "Other users' spend or stake needs at least one other user.";
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { input: input as EstimatorInput };
}

/** The scenario estimate's input in integers: micro-USD a day, wei, days. */
export interface EstimatorInput {
  you: YourDay;
  othersSpend: bigint;
  othersStake: bigint;
  otherUsers: bigint;
  restSpend: bigint;
  restAgeDays: bigint;
  ageDays: bigint;
  epoch: bigint;
}

/** `total` split into `n` parts that add up to it exactly (the first ones get the remainder's units). */
function spread(total: bigint, n: bigint): bigint[] {
  const part = total / n;
  const rest = total % n;
  return Array.from({ length: Number(n) }, (_, i) => part + (BigInt(i) < rest ? 1n : 0n));
}

/**
 * The epoch's rewards input without you: this $MT with its other users (their spend and stake spread
 * evenly, no gmFLOCK), its incentive pool's release over the epoch (a raise to raiseMax, IncentivePool's
 * linear stream), and the rest of the protocol as one other $MT, as the simulator models it.
 */
export function epochInputOf(input: EstimatorInput): EpochRewardsInput {
  const { length } = ESTIMATOR_CLOCK;
  const from = ESTIMATOR_CLOCK.start + input.epoch * length;
  const to = from + length;
  const graduatedAt = from - input.ageDays * length;
  const g = templateGraduation();
  const duration = BigInt(SCENARIO.allocation.incentiveDuration);
  const released = (total: bigint) => linearlyVested(total, graduatedAt, duration, to) - linearlyVested(total, graduatedAt, duration, from);
  const spends = input.otherUsers > 0n ? spread(input.othersSpend, input.otherUsers) : [];
  const stakes = input.otherUsers > 0n ? spread(input.othersStake, input.otherUsers) : [];
  // Stake counts as stake·seconds: held through the whole epoch.
  const users = spends.map((spend, i) => ({ account: `other-${i + 1}`, wallet: null, spend, stake: stakes[i]! * length, gm: 0n }));
  const deployments: EpochDeployment[] = [
    { mt: ESTIMATE_MT, issuer: ESTIMATE_ISSUER, graduatedAt, poolRelease: { mt: released(g.mtToIncentives), flock: released(g.flockToIncentives) }, users },
  ];
  if (input.restSpend > 0n) {
    const restGraduatedAt = graduatedAt - input.restAgeDays * length;
    deployments.push({
      mt: OTHER_MT, issuer: OTHER_ISSUER, graduatedAt: restGraduatedAt > 0n ? restGraduatedAt : 0n, poolRelease: { mt: 0n, flock: 0n },
      users: [{ account: "rest-of-protocol", wallet: null, spend: input.restSpend, stake: 0n, gm: 0n }],
    });
  }
  return { epoch: input.epoch, clock: ESTIMATOR_CLOCK, emission: dailyEmission(input.epoch), flock: ESTIMATE_FLOCK, carry: [], deployments };
}

export interface Estimate {
  input: EpochRewardsInput;
  rewards: EpochRewards;
  /** This $MT's line of the epoch. */
  mt: MtEpochRewards;
  /** Your shares, G (gmBoost of your gmFLOCK) and scores, as rewardScores gives them. */
  score: RewardScore<string>;
  /** Σ of the scores over this $MT's users: your share of each pot is your score over these. */
  globalTotal: bigint;
  incentiveTotal: bigint;
  /** What computeEpochRewards allots you this epoch. */
  flock: bigint;
  mtReward: bigint;
  poolRelease: { mt: bigint; flock: bigint };
}

/**
 * The epoch `input` with you among the users of `mt`: your spend, your stake held through the whole epoch
 * (stake·seconds of its clock, as MtStaking's checkpoints weigh it) and your gmFLOCK.
 */
export function withYou(input: EpochRewardsInput, mt: Address, you: YourDay): EpochRewardsInput {
  const target = mt.toLowerCase();
  if (!input.deployments.some((d) => d.mt.toLowerCase() === target)) throw new Error(`no deployment ${mt} in epoch ${input.epoch}`);
  const yours = { account: YOU, wallet: null, spend: you.spend, stake: you.stake * input.clock.length, gm: you.gm };
  return { ...input, deployments: input.deployments.map((d) => (d.mt.toLowerCase() === target ? { ...d, users: [yours, ...d.users] } : d)) };
}

/** computeEpochRewards of an epoch you are in (withYou), and your line of it. */
export function estimateOn(input: EpochRewardsInput, mt: Address): Estimate {
  const target = mt.toLowerCase();
  const rewards = computeEpochRewards(input);
  const ours = input.deployments.find((d) => d.mt.toLowerCase() === target)!;
  const scores = rewardScores(ours.users);
  const paid = (token: Address) => rewards.allotments.find((a) => a.account === YOU && a.token === token.toLowerCase())?.amount ?? 0n;
  return {
    input,
    rewards,
    mt: rewards.perMt.find((m) => m.mt === target)!,
    score: scores.find((s) => s.account === YOU)!,
    globalTotal: scores.reduce((t, s) => t + s.global, 0n),
    incentiveTotal: scores.reduce((t, s) => t + s.incentive, 0n),
    flock: paid(input.flock),
    mtReward: paid(mt),
    poolRelease: ours.poolRelease,
  };
}

/** The estimate on the default scenario's epoch the form describes. */
export const estimate = (input: EstimatorInput): Estimate => estimateOn(withYou(epochInputOf(input), ESTIMATE_MT, input.you), ESTIMATE_MT);
