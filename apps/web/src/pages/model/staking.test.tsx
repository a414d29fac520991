import { defaultCatalog, MT, stakerDiscountTiers } from "@fomo/sdk";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DiscountTiers, parseAmount, StakePanel, type StakeActions, type StakePosition } from "./staking.tsx";

afterEach(cleanup);

const WEEK = 604_800n;
// Chain time on a local chain that was moved ahead of the wall clock (fomo up --demo moves it days).
const NOW = 1_796_400_000n;

function panel(position: Partial<StakePosition> = {}, actions: Partial<StakeActions> = {}) {
  const full: StakePosition = { staked: 1_500n * MT, cooling: 0n, releaseAt: 0n, balance: 20_000n * MT, now: NOW, ...position };
  const calls: StakeActions = { stake: vi.fn(async () => true), unstake: vi.fn(async () => true), withdraw: vi.fn(async () => true), ...actions };
  render(<StakePanel ticker="STORY" position={full} cooldownSeconds={WEEK} actions={calls} state={{ status: "idle" }} pending={false} />);
  return calls;
}

const cells = (row: HTMLElement) => within(row).getAllByRole("cell").map((c) => c.textContent!.replace(/\s+/g, " ").trim());
const stakeField = () => screen.getByLabelText("Stake STORY");
const stakeButton = () => screen.getByRole("button", { name: "Stake" });

describe("parseAmount", () => {
  it("reads decimal $MT exactly as wei and refuses what is not an amount", () => {
    expect(parseAmount("2.5", 10n * MT, "STORY", "Too much")).toEqual({ amount: 2_500_000_000_000_000_000n });
    expect(parseAmount("1,000", 10_000n * MT, "STORY", "Too much")).toEqual({ amount: 1_000n * MT });
    expect(parseAmount("0.000000000000000001", MT, "STORY", "Too much")).toEqual({ amount: 1n });
    expect(parseAmount("", MT, "STORY", "Too much")).toEqual({ error: "Enter an amount." });
    expect(parseAmount("1e3", 10_000n * MT, "STORY", "Too much")).toHaveProperty("error");
    expect(parseAmount("-1", MT, "STORY", "Too much")).toHaveProperty("error");
    expect(parseAmount("0.0000000000000000001", MT, "STORY", "Too much")).toEqual({ error: "The STORY amount takes at most 18 decimals." });
    expect(parseAmount("0", MT, "STORY", "Too much")).toEqual({ error: "Enter more than zero." });
    expect(parseAmount("1.000000000000000001", MT, "STORY", "Too much")).toEqual({ error: "Too much (1 STORY)." });
  });
});

describe("StakePanel", () => {
  it("shows the SDK's discount tiers with the wallet's tier marked and what the next one takes", () => {
    panel();
    const table = screen.getByRole("table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(stakerDiscountTiers.length + 1);
    expect(rows.map(cells)).toEqual([
      ["None", "0%", "…"],
      ["≥ 1,000 STORY your tier", "5%", "…"],
      ["≥ 10,000 STORY", "10%", "…"],
      ["≥ 50,000 STORY", "20%", "…"],
    ]);
    const current = rows.filter((r) => r.getAttribute("aria-current") === "true");
    expect(current.map(cells)).toEqual([["≥ 1,000 STORY your tier", "5%", "…"]]);
    expect(screen.getByTestId("tier-hint").textContent).toBe("Stake 8,500 STORY more for 10% off.");
  });

  it("prices 1M input and 1M output tokens at each tier from the deployment's terms", () => {
    // The local template's prices (docs/api.md): $0.20 in, $0.80 out per 1M tokens.
    render(<DiscountTiers staked={undefined} ticker="STORY" pricing={defaultCatalog[0]!.pricing} />);
    expect(screen.getAllByRole("row").slice(1).map(cells)).toEqual([
      ["None", "0%", "$0.20 / $0.80"],
      ["≥ 1,000 STORY", "5%", "$0.19 / $0.76"],
      ["≥ 10,000 STORY", "10%", "$0.18 / $0.72"],
      ["≥ 50,000 STORY", "20%", "$0.16 / $0.64"],
    ]);
    expect(screen.queryByTestId("tier-hint")).toBeNull();
  });

  it("never prices below a token class's floor", () => {
    const pricing = { ...defaultCatalog[0]!.pricing, inputPrice: 25_000n }; // $0.025 in: 20% off would be $0.02, under its $0.022 floor
    render(<DiscountTiers staked={undefined} ticker="STORY" pricing={pricing} />);
    expect(screen.getAllByRole("row").slice(1).map((r) => cells(r)[2])).toEqual(["$0.025 / $0.80", "$0.02375 / $0.76", "$0.0225 / $0.72", "$0.022 / $0.64"]);
  });

  it("marks the no-stake row below the first tier and none at the top", () => {
    panel({ staked: 999n * MT });
    expect(screen.getAllByRole("row").filter((r) => r.getAttribute("aria-current") === "true").map(cells)).toEqual([["None your tier", "0%", "…"]]);
    expect(screen.getByTestId("tier-hint").textContent).toBe("Stake 1 STORY more for 5% off.");
    cleanup();
    panel({ staked: 60_000n * MT });
    expect(screen.getByTestId("tier-hint").textContent).toBe("You have the highest discount.");
  });

  it("refuses a stake over the wallet's balance and sends a valid one in wei, showing the tier it reaches", async () => {
    const actions = panel();
    fireEvent.change(stakeField(), { target: { value: "20000.5" } });
    expect(stakeField().getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByText("More than your wallet holds (20,000 STORY).")).toBeTruthy();
    fireEvent.click(stakeButton());
    expect(actions.stake).not.toHaveBeenCalled();

    fireEvent.change(stakeField(), { target: { value: "abc" } });
    expect(screen.getByText("Enter the STORY amount as a number, like 1000 or 0.5.")).toBeTruthy();

    fireEvent.change(stakeField(), { target: { value: "8500" } });
    expect(stakeField().getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByText("Your discount after staking: 10%.")).toBeTruthy();
    fireEvent.click(stakeButton());
    await vi.waitFor(() => expect(actions.stake).toHaveBeenCalledWith(8_500n * MT));
    await vi.waitFor(() => expect((stakeField() as HTMLInputElement).value).toBe(""));
  });

  it("fills the whole balance with Max, to the last wei", async () => {
    const actions = panel({ balance: 1_234_567_890_123_456_789_012n });
    fireEvent.click(within(screen.getByText(/^Wallet:/)).getByRole("button", { name: "Max" }));
    expect((stakeField() as HTMLInputElement).value).toBe("1234.567890123456789012");
    fireEvent.click(stakeButton());
    await vi.waitFor(() => expect(actions.stake).toHaveBeenCalledWith(1_234_567_890_123_456_789_012n));
  });

  it("refuses an empty stake and an unstake over the stake", () => {
    const actions = panel();
    fireEvent.click(stakeButton());
    expect(screen.getByText("Enter an amount.")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Unstake STORY"), { target: { value: "1500.01" } });
    expect(screen.getByText("More than you have staked (1,500 STORY).")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Unstake" }));
    expect(actions.stake).not.toHaveBeenCalled();
    expect(actions.unstake).not.toHaveBeenCalled();
  });

  it("shows the cooldown and lets a cooled amount be withdrawn only once the chain's clock passes its release", () => {
    panel({ cooling: 300n * MT, releaseAt: NOW + 3_600n });
    expect(screen.getByText("7d 0h")).toBeTruthy();
    expect(screen.getByText(/in 1h 00m/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Withdraw 300 STORY" }).hasAttribute("disabled")).toBe(true);
    cleanup();
    const actions = panel({ cooling: 300n * MT, releaseAt: NOW });
    expect(screen.getByText("ready to withdraw")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Withdraw 300 STORY" }));
    expect(actions.withdraw).toHaveBeenCalledOnce();
  });

  it("warns that an unstake restarts the cooldown of what already cools", () => {
    panel({ cooling: 300n * MT, releaseAt: NOW + 60n });
    fireEvent.change(screen.getByLabelText("Unstake STORY"), { target: { value: "600" } });
    expect(screen.getByText(/withdrawable after 7d 0h, and the cooldown of what already cools restarts\. Your discount after: 0%\./)).toBeTruthy();
  });
});
