// The simulator page in jsdom (no Worker there: the page runs the simulation itself, the same function
// the worker runs). The estimator is checked against the SDK: for several inputs, the test builds the
// epoch with "you" among a few users and calls computeEpochRewards and rewardScores itself, and the page
// must show exactly those numbers.
import {
  allocateGraduation, computeEpochRewards, dailyEmission, decodeEpochInput, encodeEpochInput, formatAmount, linearlyVested, parseUsd, rewardScores, termsCurve,
  type EpochDeployment, type EpochRewardsInput, type EpochUser,
} from "@fomo/sdk";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { defaultScenario, simulate, summarize } from "@fomo/sim";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { parseUnits } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { amount, duration, mt } from "../../lib/format.ts";
import { Estimator } from "./Estimator.tsx";
import SimulatorPage from "./index.tsx";
import { defaultInputs, scenarioFor } from "./inputs.ts";

afterEach(cleanup);

const DAY = 86_400n;
const WEI = 10n ** 18n;

/** The figure shown under `label` in the region named `region` (its exact digits when it carries them). */
function shown(region: string, label: string): string {
  const area = screen.getByRole("region", { name: region });
  const term = within(area).getByText(label, { selector: "dt" });
  const value = term.nextElementSibling as HTMLElement;
  return value.querySelector("[title]")?.getAttribute("title") ?? value.textContent ?? "";
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

interface Case {
  name: string;
  you: { spendUsd: string; stakeMt: string; gm: string };
  others: Array<{ spendUsd: string; stakeMt: string }>;
  restSpendUsd: string;
  restAgeDays: bigint;
  ageDays: bigint;
  epoch: bigint;
}

const CASES: Case[] = [
  { name: "a small spender with a stake", you: { spendUsd: "10", stakeMt: "1000", gm: "0" }, others: [{ spendUsd: "45", stakeMt: "20000" }, { spendUsd: "45", stakeMt: "20000" }], restSpendUsd: "2000", restAgeDays: 60n, ageDays: 0n, epoch: 30n },
  { name: "gmFLOCK and an older $MT", you: { spendUsd: "250.5", stakeMt: "12345.678", gm: "50000" }, others: [{ spendUsd: "500", stakeMt: "1" }, { spendUsd: "500", stakeMt: "1" }, { spendUsd: "500", stakeMt: "1" }], restSpendUsd: "100", restAgeDays: 10n, ageDays: 40n, epoch: 200n },
  { name: "the only user, no stake at all", you: { spendUsd: "1", stakeMt: "0", gm: "1" }, others: [], restSpendUsd: "0", restAgeDays: 0n, ageDays: 3n, epoch: 3n },
];

/** The epoch the case describes, built here from the SDK: the template's incentive stream released over the epoch. */
function expectedEpoch(c: Case) {
  const s = defaultScenario();
  const g = allocateGraduation({ allocation: s.allocation, curve: termsCurve(s.sale, s.allocation), raised: s.sale.raiseMax, surcharge: 0n });
  const from = c.epoch * DAY;
  const graduatedAt = from - c.ageDays * DAY;
  const duration = BigInt(s.allocation.incentiveDuration);
  const release = (total: bigint) => linearlyVested(total, graduatedAt, duration, from + DAY) - linearlyVested(total, graduatedAt, duration, from);
  const user = (account: string, spendUsd: string, stakeMt: string, gm: string): EpochUser => ({
    account, wallet: null, spend: parseUsd(spendUsd), stake: parseUnits(stakeMt, 18) * DAY, gm: parseUnits(gm, 18),
  });
  const users = [user("you", c.you.spendUsd, c.you.stakeMt, c.you.gm), ...c.others.map((o, i) => user(`other-${i + 1}`, o.spendUsd, o.stakeMt, "0"))];
  const mt = "0x00000000000000000000000000000000000000a1";
  const flockToken = "0x000000000000000000000000000000000000f10c";
  const deployments: EpochDeployment[] = [{ mt, issuer: "0x0000000000000000000000000000000000000155", graduatedAt, poolRelease: { mt: release(g.mtToIncentives), flock: release(g.flockToIncentives) }, users }];
  if (parseUsd(c.restSpendUsd) > 0n) {
    const restAt = graduatedAt - c.restAgeDays * DAY;
    deployments.push({
      mt: "0x00000000000000000000000000000000000000a2", issuer: "0x0000000000000000000000000000000000000156", graduatedAt: restAt > 0n ? restAt : 0n,
      poolRelease: { mt: 0n, flock: 0n }, users: [{ account: "rest", wallet: null, spend: parseUsd(c.restSpendUsd), stake: 0n, gm: 0n }],
    });
  }
  const rewards = computeEpochRewards({ epoch: c.epoch, clock: { start: 0n, length: DAY }, emission: dailyEmission(c.epoch), flock: flockToken, carry: [], deployments });
  const paid = (token: string) => rewards.allotments.find((a) => a.account === "you" && a.token === token)?.amount ?? 0n;
  return { rewards, you: rewardScores(users)[0]!, flock: paid(flockToken), mt: paid(mt), ours: rewards.perMt.find((m) => m.mt === mt)! };
}

describe("reward estimator", () => {
  for (const c of CASES) {
    it(`shows the SDK's epoch for ${c.name}`, () => {
      render(<Estimator />);
      type("Your inference spend (USD a day)", c.you.spendUsd);
      type("Your stake ($MT)", c.you.stakeMt);
      type("Your gmFLOCK", c.you.gm);
      // The others here spend and stake alike, as the form spreads them.
      type("Other users' spend (USD a day)", formatAmount(c.others.reduce((t, o) => t + parseUsd(o.spendUsd), 0n), 6).replaceAll(",", ""));
      type("Other users' stake ($MT)", formatAmount(c.others.reduce((t, o) => t + parseUnits(o.stakeMt, 18), 0n)).replaceAll(",", ""));
      type("Number of other users", String(c.others.length));
      type("Spend on the other $MTs (USD a day)", c.restSpendUsd);
      type("Their age at this $MT's graduation (days)", String(c.restAgeDays));
      type("Emission day (epoch)", String(c.epoch));
      type("Days since this $MT graduated", String(c.ageDays));

      const expected = expectedEpoch(c);
      expect(expected.flock).toBeGreaterThan(0n);
      expect(shown("You get this epoch", "FLOCK")).toBe(formatAmount(expected.flock));
      expect(shown("You get this epoch", "$MT")).toBe(formatAmount(expected.mt));
      expect(shown("Your scores", "Global score")).toBe(formatAmount(expected.you.global));
      expect(shown("Your scores", "Incentive score")).toBe(formatAmount(expected.you.incentive));
      expect(shown("Your scores", "gmFLOCK boost G")).toBe(`×${amount(expected.you.boost, 18, 4)}`);
      expect(shown("The epoch", "To this $MT")).toBe(formatAmount(expected.ours.emission));
      expect(shown("The epoch", "Emission E")).toBe(formatAmount(dailyEmission(c.epoch)));
    });
  }

  it("names the field it cannot read and shows no estimate", () => {
    render(<Estimator />);
    type("Your stake ($MT)", "12,5");
    expect(screen.getByLabelText("Your stake ($MT)").getAttribute("aria-invalid")).toBe("true");
    expect(screen.queryByRole("region", { name: "You get this epoch" })).toBeNull();
    expect(screen.getByText("Correct the fields marked to see the estimate.")).toBeTruthy();
  });
});

describe("reward estimator on the network's latest epoch", () => {
  const A = "0x00000000000000000000000000000000000000aa";
  const B = "0x00000000000000000000000000000000000000bb";
  const FLOCK = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
  const user = (account: string, spend: bigint, stake: bigint, gm = 0n): EpochUser => ({ account, wallet: null, spend, stake, gm });
  // An epoch file as the keeper writes it (60-second epochs, FLOCK dust carried in, two $MTs), through the SDK's own codec.
  const file = decodeEpochInput(encodeEpochInput({
    version: 1, chainId: 31337, epoch: 500n, emissionDay: 500n, clock: { start: 1_000n, length: 60n }, emission: dailyEmission(500n), flock: FLOCK,
    carry: [{ token: FLOCK, amount: 123_456n }],
    deployments: [
      { mt: A, issuer: "0x0000000000000000000000000000000000000a11", graduatedAt: 1_000n, gross: 900n, hardCost: 10n, usageRoot: `0x${"11".repeat(32)}`,
        poolRelease: { flock: 10n ** 20n, mt: 3n * 10n ** 18n }, users: [user("acct_1", 500n, 6_000n * WEI * 60n), user("acct_2", 400n, 0n, 10n * WEI)] },
      { mt: B, issuer: "0x0000000000000000000000000000000000000b11", graduatedAt: 20_000n, gross: 300n, hardCost: 5n, usageRoot: `0x${"22".repeat(32)}`,
        poolRelease: { flock: 0n, mt: 0n }, users: [user("acct_3", 300n, 50n * WEI * 60n)] },
    ],
  }));

  function renderOn(data: EpochRewardsInput | null) {
    const client = new QueryClient();
    client.setQueryData(["simulator", "latest-epoch-input"], data);
    render(<QueryClientProvider client={client}><Estimator /></QueryClientProvider>);
    fireEvent.click(screen.getByLabelText("This network's latest epoch"));
  }

  it("adds you to the $MT you pick and shows what computeEpochRewards gives", () => {
    renderOn(file);
    type("Your inference spend (USD in the epoch)", "0.0002");
    type("Your stake ($MT)", "100");
    type("Your gmFLOCK", "3");
    fireEvent.change(screen.getByLabelText("$MT of epoch 500"), { target: { value: B } });
    const withYou = { ...file, deployments: file.deployments.map((d) => (d.mt === B ? { ...d, users: [...d.users, user("you", 200n, 100n * WEI * 60n, 3n * WEI)] } : d)) };
    const rewards = computeEpochRewards(withYou);
    const yours = rewards.allotments.find((a) => a.account === "you" && a.token === FLOCK)!.amount;
    expect(shown("You get this epoch", "FLOCK")).toBe(formatAmount(yours));
    expect(shown("The epoch", "To this $MT")).toBe(formatAmount(rewards.perMt.find((m) => m.mt === B)!.emission));
    expect(shown("Your scores", "Global score")).toBe(formatAmount(rewardScores(withYou.deployments[1]!.users).at(-1)!.global));
    expect(screen.queryByLabelText("Other users' spend (USD a day)")).toBeNull();
  });

  it("says when the network has no epoch yet", () => {
    renderOn(null);
    expect(screen.getByText("No epoch settled yet")).toBeTruthy();
  });
});

describe("simulator", () => {
  it("opens on the default scenario of ./fomo simulate", () => {
    const s = defaultScenario();
    expect(scenarioFor(defaultInputs())).toEqual(s);
  });

  it("renders the default sliders' simulation: the summary is @fomo/sim's", async () => {
    render(<SimulatorPage />);
    expect((screen.getByLabelText("Daily inference spend") as HTMLInputElement).getAttribute("aria-valuetext")).toBe("$700 a day");
    const table = await screen.findByRole("table", {}, { timeout: 30_000 });
    const s = defaultScenario();
    const summary = summarize(simulate(s, { days: s.days, runs: s.runs, seed: s.seed }));
    const median = (figure: string) => within(within(table).getByRole("rowheader", { name: figure }).closest("tr")!).getAllByRole("cell")[1]!.textContent;
    const row = (figure: string) => summary.rows.find((r) => r.figure === figure)!.percentiles.p50;
    expect(median("$MT burned by buybacks")).toBe(mt(row("$MT burned by buybacks"), "$MT", 0));
    expect(median("gross revenue")).toBe(`$${amount(row("gross revenue"), 6, 2)}`);
    expect(median("raise length")).toBe(duration(row("raise length")));
    expect(within(table).getAllByRole("row")).toHaveLength(summary.rows.length + 1);
    expect(screen.getByTestId("sim-timing").textContent).toMatch(/^100 runs of 180 days simulated in \d+ ms\.$/);
  }, 60_000);

  it("moves with a slider: more spend, more revenue", async () => {
    render(<SimulatorPage />);
    fireEvent.change(screen.getByLabelText("Runs"), { target: { value: "1" } }); // 5 runs
    const before = await waitFor(() => {
      expect(screen.getByTestId("sim-timing").textContent).toMatch(/^5 runs/);
      return grossMedian();
    }, { timeout: 30_000 });
    const spend = screen.getByLabelText("Daily inference spend") as HTMLInputElement;
    fireEvent.change(spend, { target: { value: String(Number(spend.value) + 5) } }); // ten times the spend
    expect(spend.getAttribute("aria-valuetext")).toBe("$7,000 a day");
    await waitFor(() => expect(grossMedian()).not.toBe(before), { timeout: 30_000 });
    const usd = (text: string) => parseUsd(text.replace(/[$,]/g, ""));
    expect(usd(grossMedian())).toBeGreaterThan(5n * usd(before));
  }, 60_000);
});

function grossMedian(): string {
  const table = screen.getByRole("table");
  return within(within(table).getByRole("rowheader", { name: "gross revenue" }).closest("tr")!).getAllByRole("cell")[1]!.textContent ?? "";
}
