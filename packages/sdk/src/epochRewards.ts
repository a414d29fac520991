// One epoch's rewards (product.md §5.2, docs/protocol.md#rewards): the one computation the keeper
// posts, a verifier replays from the epoch's input file, and the simulator and web app preview.
//   pot          = E(epoch) + the FLOCK dust carried from the previous epoch
//   emission_m   = ⌊pot · w_m / Σ w⌋, w_m = usage_m · ageFactor_m (usage_m = Σ spend on m; 0 → nothing)
//   ageFactor_m  = max(0.25, 1 − age/365), age in epochs of the clock from graduation to the epoch's end
//   issuer       ⌊emission_m · 10%⌋; the users ⌊(emission_m − bonus) · global_u / Σ global⌋
//   pools        each token of m's pool release (+ m's carried $MT dust) by ⌊R · incentive_u / Σ incentive⌋
// Scores are rewardScores' (1e18 fixed point). Every share is floored: a user's part of the emission
// passes three floors (pot, issuer bonus, own share) and ends within 2 wei of its exact rational value,
// a pool part within 1. What the floors leave is the dust of its token, carried by the caller into the
// next epoch (`carry`): FLOCK into the next pot, an $MT into its own pool. Nothing is created or lost:
// per token, Σ allotments + dust = emission + carry + releases, checked before returning.
import { zeroAddress, type Address } from "viem";
import { epochWindow, type EpochClock } from "./epochs.ts";
import { canonicalAddress } from "./merkle.ts";
import { issuerBonus, rewardScores, SCORE_ONE, shareOut } from "./rewardScores.ts";

/** The age factor's floor, reached at 3/4 of AGE_FACTOR_EPOCHS: an old $MT's usage still weighs a quarter of a new one's. */
export const AGE_FACTOR_FLOOR = SCORE_ONE / 4n;
/** Epochs over which the age factor falls from 1 to its floor's line (1 − age/365). */
export const AGE_FACTOR_EPOCHS = 365n;

/** An amount of one token. */
export interface TokenAmount {
  token: Address;
  amount: bigint;
}

/** One user of one deployment in an epoch. */
export interface EpochUser {
  /** Ledger account id: rewards accrue to it even before a wallet is bound. */
  account: string;
  /** The wallet bound to the account, if any (the same for every deployment the account used). */
  wallet: Address | null;
  /** Micro-USD actually paid for inference on this $MT in the epoch. */
  spend: bigint;
  /** The wallet's time-weighted stake on this $MT over the epoch, stake·seconds (MtStaking checkpoints); 0 unbound. */
  stake: bigint;
  /** The wallet's gmFLOCK (wei) averaged over the epoch (balance·seconds / epoch length); 0 unbound. */
  gm: bigint;
}

/** One graduated $MT in an epoch. */
export interface EpochDeployment {
  mt: Address;
  issuer: Address;
  /** Unix seconds of graduation (at or before the epoch's end). */
  graduatedAt: bigint;
  /** What IncentivePool.release moved into the distributor for this $MT this epoch. */
  poolRelease: { flock: bigint; mt: bigint };
  users: readonly EpochUser[];
}

export interface EpochRewardsInput {
  epoch: bigint;
  clock: EpochClock;
  /** E(epoch) in FLOCK wei (dailyEmission(epoch) of the EmissionSchedule). */
  emission: bigint;
  flock: Address;
  /** The previous epoch's `dust`, per token (empty for the first epoch). */
  carry: readonly TokenAmount[];
  deployments: readonly EpochDeployment[];
}

/** How the emission went to one $MT. */
export interface MtEpochRewards {
  mt: Address;
  /** Σ spend of its users, micro-USD. */
  usage: bigint;
  /** SCORE_ONE fixed point. */
  ageFactor: bigint;
  /** Its share of the pot (emission + FLOCK carry), issuer bonus included. */
  emission: bigint;
  issuerBonus: bigint;
  usersEmission: bigint;
}

/** What `account` earned in `token` this epoch (not cumulative). */
export interface RewardAllotment {
  account: string;
  wallet: Address | null;
  token: Address;
  amount: bigint;
}

export interface EpochRewards {
  /** Every deployment, by $MT address. */
  perMt: MtEpochRewards[];
  /** Non-zero allotments by account, then token. An issuer's account is its lower-case address. */
  allotments: RewardAllotment[];
  /** What the floors left, every token funded this epoch (zeros included), by token: the next epoch's `carry`. */
  dust: TokenAmount[];
  totals: {
    /** E(epoch) as given. */
    emitted: bigint;
    /** The pool releases per token (FLOCK and each $MT), by token. */
    released: TokenAmount[];
  };
}

/**
 * max(0.25, 1 − age/365) in SCORE_ONE fixed point, rounded down, where age is the time from graduation to
 * the end of `epoch`, in epochs of `clock`.
 *
 * @example
 * ageFactor({ start: 0n, length: 86_400n }, 0n, 0n); // SCORE_ONE − SCORE_ONE / 365n − 1n: one day old
 */
export function ageFactor(clock: EpochClock, epoch: bigint, graduatedAt: bigint): bigint {
  const { to } = epochWindow(clock, epoch);
  const age = to - graduatedAt;
  if (age < 0n) throw new RangeError(`graduated at ${graduatedAt}, after epoch ${epoch} ends (${to})`);
  const span = AGE_FACTOR_EPOCHS * clock.length;
  if (age >= span) return AGE_FACTOR_FLOOR;
  const factor = ((span - age) * SCORE_ONE) / span;
  return factor > AGE_FACTOR_FLOOR ? factor : AGE_FACTOR_FLOOR;
}

const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function checkAmount(x: bigint, what: string): bigint {
  if (x < 0n) throw new RangeError(`${what} must not be negative, got ${x}`);
  return x;
}

/** Amounts per token: one column of the epoch's books. */
class Tally {
  readonly #amounts = new Map<Address, bigint>();
  add(token: Address, amount: bigint): void {
    this.#amounts.set(token, this.get(token) + amount);
  }
  get(token: Address): bigint {
    return this.#amounts.get(token) ?? 0n;
  }
  tokens(): Address[] {
    return [...this.#amounts.keys()];
  }
  list(tokens: readonly Address[]): TokenAmount[] {
    return tokens.map((token) => ({ token, amount: this.get(token) }));
  }
}

/**
 * The rewards of one epoch: emission and pool releases shared out exactly as the header of this file
 * says. Throws on inconsistent input (negative amounts, a duplicate $MT, user or carried token, an
 * account with two wallets, an $MT graduated after the epoch, the zero address as an $MT) and, as a
 * last guard, if any token's books do not balance.
 *
 * @example
 * const rewards = computeEpochRewards({ epoch, clock, emission: dailyEmission(epoch), flock, carry: previous.dust, deployments });
 */
export function computeEpochRewards(input: EpochRewardsInput): EpochRewards {
  const flock = canonicalAddress(input.flock, "flock");
  const emission = checkAmount(input.emission, "emission");
  const carry = new Tally();
  for (const c of input.carry) {
    const token = canonicalAddress(c.token, "carried token");
    if (carry.tokens().includes(token)) throw new Error(`carry lists token ${token} twice`);
    carry.add(token, checkAmount(c.amount, `carry of ${token}`));
  }

  const wallets = new Map<string, Address | null>();
  const bindWallet = (account: string, wallet: Address | null) => {
    const known = wallets.get(account);
    if (known !== undefined && known !== wallet) throw new Error(`account ${account} comes with two wallets: ${known} and ${wallet}`);
    wallets.set(account, wallet);
  };
  const deployments = input.deployments
    .map((d) => {
      const mt = canonicalAddress(d.mt, "mt");
      if (mt === zeroAddress) throw new Error("the platform's base models (the zero address) earn no emission: leave them out");
      if (mt === flock) throw new Error("an $MT cannot be FLOCK");
      const issuer = canonicalAddress(d.issuer, `issuer of ${mt}`);
      bindWallet(issuer, issuer);
      const seen = new Set<string>();
      const users = d.users.map((u) => {
        if (u.account.length === 0) throw new Error(`a user of ${mt} has an empty account id`);
        if (seen.has(u.account)) throw new Error(`account ${u.account} is listed twice for ${mt}`);
        seen.add(u.account);
        const wallet = u.wallet === null ? null : canonicalAddress(u.wallet, `wallet of ${u.account}`);
        bindWallet(u.account, wallet);
        const what = `${u.account} on ${mt}`;
        return {
          account: u.account, wallet,
          spend: checkAmount(u.spend, `spend of ${what}`), stake: checkAmount(u.stake, `stake of ${what}`), gm: checkAmount(u.gm, `gm of ${what}`),
        };
      });
      const poolRelease = {
        flock: checkAmount(d.poolRelease.flock, `FLOCK release of ${mt}`), mt: checkAmount(d.poolRelease.mt, `$MT release of ${mt}`),
      };
      return { mt, issuer, poolRelease, users, age: ageFactor(input.clock, input.epoch, d.graduatedAt) };
    })
    .sort((a, b) => order(a.mt, b.mt));
  deployments.forEach((d, i) => {
    if (i > 0 && deployments[i - 1]!.mt === d.mt) throw new Error(`deployment ${d.mt} is listed twice`);
  });

  const funded = new Tally();
  const released = new Tally();
  const allotted = new Tally();
  const dust = new Tally();
  const allotments = new Map<string, RewardAllotment>();
  const credit = (account: string, token: Address, amount: bigint) => {
    if (amount === 0n) return;
    const key = JSON.stringify([account, token]);
    const entry = allotments.get(key) ?? { account, wallet: wallets.get(account)!, token, amount: 0n };
    entry.amount += amount;
    allotments.set(key, entry);
    allotted.add(token, amount);
  };
  /** Shares `amount` of `token` by `weights` among `payees`; the floors' remainder is dust. */
  const payOut = (token: Address, amount: bigint, weights: readonly bigint[], payees: readonly { account: string }[]) => {
    const shares = shareOut(amount, weights);
    shares.forEach((share, i) => credit(payees[i]!.account, token, share));
    dust.add(token, remainder(amount, shares, token));
  };

  const pot = emission + carry.get(flock);
  funded.add(flock, pot);
  const usages = deployments.map((d) => d.users.reduce((s, u) => s + u.spend, 0n));
  const emissions = shareOut(pot, deployments.map((d, i) => usages[i]! * d.age));
  dust.add(flock, remainder(pot, emissions, flock));

  const perMt = deployments.map((d, i): MtEpochRewards => {
    const mtEmission = emissions[i]!;
    const bonus = issuerBonus(mtEmission);
    credit(d.issuer, flock, bonus);
    const scores = rewardScores(d.users);
    const incentives = scores.map((s) => s.incentive);
    payOut(flock, mtEmission - bonus, scores.map((s) => s.global), d.users);
    payOut(flock, d.poolRelease.flock, incentives, d.users);
    const mtPot = d.poolRelease.mt + carry.get(d.mt);
    payOut(d.mt, mtPot, incentives, d.users);
    funded.add(flock, d.poolRelease.flock);
    funded.add(d.mt, mtPot);
    released.add(flock, d.poolRelease.flock);
    released.add(d.mt, d.poolRelease.mt);
    return { mt: d.mt, usage: usages[i]!, ageFactor: d.age, emission: mtEmission, issuerBonus: bonus, usersEmission: mtEmission - bonus };
  });
  // A carried token no deployment of this epoch can pay out (an $MT without a deployment now) stays dust.
  for (const token of carry.tokens()) {
    if (token !== flock && !deployments.some((d) => d.mt === token)) {
      funded.add(token, carry.get(token));
      dust.add(token, carry.get(token));
    }
  }

  const tokens = [...new Set([flock, ...funded.tokens(), ...dust.tokens()])].sort(order);
  for (const token of tokens) {
    if (allotted.get(token) + dust.get(token) !== funded.get(token)) {
      throw new Error(
        `epoch ${input.epoch} does not balance in ${token}: allotted ${allotted.get(token)} + dust ${dust.get(token)} ≠ funded ${funded.get(token)}`,
      );
    }
  }
  return {
    perMt,
    allotments: [...allotments.values()].sort((a, b) => order(a.account, b.account) || order(a.token, b.token)),
    dust: dust.list(tokens),
    totals: { emitted: emission, released: released.list([flock, ...deployments.map((d) => d.mt)].sort(order)) },
  };
}

/** What the floors of `shares` left of `amount`; never negative, or the split paid more than it had. */
function remainder(amount: bigint, shares: readonly bigint[], token: Address): bigint {
  const left = amount - shares.reduce((s, x) => s + x, 0n);
  if (left < 0n) throw new Error(`shares of ${token} exceed the ${amount} to share`);
  return left;
}
