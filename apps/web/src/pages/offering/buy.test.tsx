// The buy form's quote and what it sends, on the default template's real curve and fee terms.
import { FLOCK, State } from "@fomo/sdk";
import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { useState } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ActionState } from "../../lib/chainAction.ts";
import { BuyForm, type BuyRequest, type BuyWallet } from "./buy.tsx";
import { OPENS_AT, raisingSnapshot } from "./fixtures.ts";
import { previewBuy } from "./quote.ts";

afterEach(cleanup);

const RICH: BuyWallet = { balance: 1_000_000n * FLOCK, allowance: 0n };

function Harness({
  raised = 250_000n * FLOCK,
  now,
  wallet,
  action = { status: "idle" },
  onBuy = () => {},
  over = {},
}: {
  raised?: bigint;
  now: bigint;
  /** null: no wallet connected. */
  wallet?: BuyWallet | null;
  action?: ActionState;
  onBuy?: (r: BuyRequest) => void;
  over?: Parameters<typeof raisingSnapshot>[1];
}) {
  const [amount, setAmount] = useState("");
  const snapshot = raisingSnapshot(raised, over);
  return (
    <BuyForm
      symbol="$RISE"
      snapshot={snapshot}
      now={now}
      amount={amount}
      onAmount={setAmount}
      preview={previewBuy(snapshot, amount, now)}
      wallet={wallet === null ? undefined : (wallet ?? RICH)}
      action={action}
      onBuy={onBuy}
    />
  );
}

const type = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const quoteRow = (term: string) => {
  const dt = within(screen.getByLabelText("Quote")).getByText(term);
  return dt.nextElementSibling!.textContent!;
};
const TWO_HOURS = 7_200n;

describe("BuyForm quote", () => {
  it("after the anti-snipe window: the 1.5% base fee and no surcharge", () => {
    render(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} />);
    type("Amount (FLOCK)", "1000");
    expect(quoteRow("Base fee (1.5%)")).toBe("15 FLOCK");
    expect(quoteRow("Anti-snipe surcharge")).toBe("0 FLOCK");
    expect(screen.queryByText(/I accept a/)).toBeNull();
    // 985 FLOCK enter the curve at 250,000 raised; the price there is (X0 + f)²/(X0·Y0) with
    // X0 = 500,000 and Y0 = 600,000 on the default 9x curve: 562,500 / 300,000 ≈ 1.875 FLOCK per $MT,
    // rising as the buy fills, so the $MT out is a little under 985 / 1.875 = 525.3.
    const out = Number(quoteRow("You receive").replace(/[^0-9.]/g, ""));
    expect(out).toBeGreaterThan(524);
    expect(out).toBeLessThan(525.4);
    const after = Number(quoteRow("Price after").split(" ")[0]);
    expect(after).toBeGreaterThan(1.875);
    expect(after).toBeLessThan(1.88);
  });

  it("ten minutes after opening: 89% in all, the surcharge apart, and when it falls to the base fee", () => {
    const now = BigInt(OPENS_AT) + 600n;
    render(<Harness now={now} />);
    type("Amount (FLOCK)", "1000");
    expect(quoteRow("Base fee (1.5%)")).toBe("15 FLOCK");
    // 99% at open, a point less a minute: 89% after 10 minutes, of which 1.5% is the base fee.
    expect(quoteRow("Anti-snipe surcharge")).toBe("875 FLOCKtotal fee 89% now");
    // (99% − 1.5%) / 1 point a minute = 97.5 → the surcharge is gone after 98 whole minutes.
    const falls = screen.getByText(/base fee alone from/);
    expect(falls.querySelector("time")!.getAttribute("datetime")).toBe(new Date((OPENS_AT + 98 * 60) * 1000).toISOString());
    expect(falls.textContent).toContain("in 1h 28m");
    expect(screen.getByLabelText(/I accept a 89% fee/)).toBeTruthy();
  });

  it("fills the raise: only the room is taken and the buy graduates the offering", () => {
    render(<Harness raised={990_000n * FLOCK} now={BigInt(OPENS_AT) + TWO_HOURS} />);
    type("Amount (FLOCK)", "20000");
    const note = screen.getByText(/fills the raise and graduates the offering/);
    // 10,000 FLOCK of room at a 1.5% fee takes 10,000 / 0.985 ≈ 10,152.28 FLOCK; the rest stays.
    expect(note.textContent).toContain("it takes 10,152.2842 FLOCK");
    expect(note.textContent).toContain("9,847.7157 FLOCK stays in your wallet");
  });

  it("refuses what the contract would refuse, in words", () => {
    const { unmount } = render(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} />);
    type("Amount (FLOCK)", "12abc");
    expect(screen.getByText(/Enter the amount as a number/)).toBeTruthy();
    type("Amount (FLOCK)", "1.0000000000000000001");
    expect(screen.getByText(/at most 18 decimals/)).toBeTruthy();
    type("Amount (FLOCK)", "0");
    expect(screen.getByText("Enter an amount above zero.")).toBeTruthy();
    unmount();
    // The window closed with the minimum raised: the offering is Succeeded, no buy can be quoted.
    render(<Harness now={BigInt(OPENS_AT + 7 * 86_400)} />);
    type("Amount (FLOCK)", "1000");
    expect(screen.getByText(/is Succeeded/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Buy" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("a paused Launchpad quotes nothing and says why", () => {
    render(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} over={{ paused: true, state: State.Raising }} />);
    type("Amount (FLOCK)", "1000");
    expect(screen.getByText(/paused/i)).toBeTruthy();
  });
});

describe("BuyForm sends", () => {
  it("the amount in wei and the default slippage; no fee bound past the anti-snipe window", () => {
    const onBuy = vi.fn();
    render(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} onBuy={onBuy} />);
    type("Amount (FLOCK)", "1,234.5");
    expect(screen.getByText(/two transactions/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Buy" }));
    expect(onBuy).toHaveBeenCalledWith({ flockIn: 1_234_500_000_000_000_000_000n, slippageBps: 50 });
  });

  it("the surcharge's fee rate only once the person accepts it", () => {
    const onBuy = vi.fn();
    render(<Harness now={BigInt(OPENS_AT) + 600n} onBuy={onBuy} />);
    type("Amount (FLOCK)", "1000");
    type("Slippage tolerance (%)", "1.25");
    fireEvent.click(screen.getByRole("button", { name: "Buy" }));
    expect(onBuy).toHaveBeenLastCalledWith({ flockIn: 1_000n * FLOCK, slippageBps: 125 });
    fireEvent.click(screen.getByLabelText(/I accept a 89% fee/));
    fireEvent.click(screen.getByRole("button", { name: "Buy" }));
    expect(onBuy).toHaveBeenLastCalledWith({ flockIn: 1_000n * FLOCK, slippageBps: 125, maxFeeBps: 8_900 });
  });

  it("nothing without a wallet, above the balance, or while a buy is pending", () => {
    const { rerender } = render(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} wallet={null} />);
    expect(screen.getByText("Connect a wallet to buy.")).toBeTruthy();
    type("Amount (FLOCK)", "1000");
    const button = () => screen.getByRole("button", { name: "Buy" }) as HTMLButtonElement;
    expect(button().disabled).toBe(true);
    rerender(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} wallet={{ balance: 999n * FLOCK, allowance: 0n }} />);
    expect(screen.getByText("More than this wallet's FLOCK balance.")).toBeTruthy();
    expect(button().disabled).toBe(true);
    rerender(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} action={{ status: "pending", step: "Approving FLOCK" }} />);
    expect(button().disabled).toBe(true);
    expect(screen.getByRole("status").textContent).toBe("Approving FLOCK…");
  });

  it("shows a failure as the sentence it was given", () => {
    render(<Harness now={BigInt(OPENS_AT) + TWO_HOURS} action={{ status: "error", message: "The fee on this buy is now 89.00%." }} />);
    expect(screen.getByRole("alert").textContent).toBe("The fee on this buy is now 89.00%.");
  });
});
