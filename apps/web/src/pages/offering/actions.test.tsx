// Graduate / refund / claim by the offering's state and the connected wallet's position.
import { FLOCK } from "@fomo/sdk";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ActionState } from "../../lib/chainAction.ts";
import type { OfferingState } from "../../lib/wire.ts";
import { OfferingActions } from "./actions.tsx";
import { BUYER, position } from "./fixtures.ts";
import type { PortfolioPositionView } from "./wire.ts";

afterEach(cleanup);

function renderActions(state: OfferingState, p: { account?: boolean; position?: PortfolioPositionView | null; positionError?: string; action?: ActionState } = {}) {
  const handlers = { onGraduate: vi.fn(), onRefund: vi.fn(), onClaim: vi.fn() };
  render(
    <OfferingActions
      state={state}
      ticker="STORY"
      symbol="$STORY"
      account={p.account === false ? undefined : BUYER}
      position={p.position}
      positionError={p.positionError}
      action={p.action ?? { status: "idle" }}
      {...handlers}
    />,
  );
  return handlers;
}

const buttons = () => screen.queryAllByRole("button").map((b) => b.textContent);

describe("OfferingActions", () => {
  it("raising: nothing to do here (the buy form is)", () => {
    renderActions("raising", { position: null });
    expect(buttons()).toEqual([]);
  });

  it("succeeded: anyone may graduate, once connected", () => {
    const { onGraduate } = renderActions("succeeded", { position: null });
    fireEvent.click(screen.getByRole("button", { name: "Graduate" }));
    expect(onGraduate).toHaveBeenCalledTimes(1);
    cleanup();
    renderActions("succeeded", { account: false });
    expect(buttons()).toEqual([]);
    expect(screen.getByText("Connect a wallet to graduate it.")).toBeTruthy();
  });

  it("failed: refunds the wallet's refundable FLOCK, or says there is none", () => {
    const { onRefund, onClaim } = renderActions("failed", {
      position: position({ state: "failed", flock_committed: (49_250n * FLOCK).toString(), refundable_flock: (49_250n * FLOCK).toString() }),
    });
    fireEvent.click(screen.getByRole("button", { name: "Refund 49,250 FLOCK" }));
    expect(onRefund).toHaveBeenCalledTimes(1);
    expect(onClaim).not.toHaveBeenCalled();
    cleanup();
    renderActions("failed", { position: null });
    expect(buttons()).toEqual([]);
    expect(screen.getByText("This wallet has nothing to refund here.")).toBeTruthy();
    cleanup();
    renderActions("failed", { position: undefined });
    expect(screen.getByText("Reading this wallet's position…")).toBeTruthy();
    cleanup();
    renderActions("failed", { positionError: "The platform API does not answer." });
    expect(screen.getByRole("alert").textContent).toContain("The platform API does not answer.");
  });

  it("graduated: claims the claimable $MT, shows what still vests, links to the model", () => {
    const { onClaim } = renderActions("graduated", {
      position: position({ mt_owed: "300000000000000000000000", claimable_mt: "50000500000000000000000", first_buy_mt: "250000000000000000000000", vesting_locked_mt: "249999500000000000000000" }),
    });
    fireEvent.click(screen.getByRole("button", { name: "Claim 50,000.5 $STORY" }));
    expect(onClaim).toHaveBeenCalledTimes(1);
    expect(screen.getByText("249,999.5 $STORY of the issuer's first buy is still vesting.")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Open the live model page" }).getAttribute("href")).toBe("/models/STORY");
    cleanup();
    renderActions("graduated", { position: position({ mt_owed: "0", claimable_mt: "0" }) });
    expect(buttons()).toEqual([]);
    expect(screen.getByText("This wallet has no $STORY to claim here.")).toBeTruthy();
  });

  it("a pending action disables its button; a failure is read out", () => {
    renderActions("succeeded", { position: null, action: { status: "pending", step: "Graduating" } });
    expect((screen.getByRole("button", { name: "Graduate" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole("status").textContent).toBe("Graduating…");
    cleanup();
    renderActions("succeeded", { position: null, action: { status: "error", message: "Offering 0x5FbD… is Raising: wait for its window to close." } });
    expect(screen.getByRole("alert").textContent).toBe("Offering 0x5FbD… is Raising: wait for its window to close.");
  });
});
