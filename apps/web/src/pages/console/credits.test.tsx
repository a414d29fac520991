import { accountIdOf } from "@fomo/sdk";
import { cleanup, fireEvent, screen, within } from "@testing-library/react";
import { decodeFunctionData, encodeAbiParameters, erc20Abi } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CreditsPanel } from "./credits.tsx";
import { fakeFetch, renderWithApp, wallet } from "./test-support.tsx";
import type { AccountView, CreditEntryView, DepositInfoView } from "./wire.ts";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

const account = { id: "acct_7", signed_in_wallet: wallet.address.toLowerCase() } as AccountView;
const USDC = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

const usdcInfo = (depositKey = accountIdOf(account.id)): DepositInfoView["usdc"] => ({
  chain_id: 31_337,
  contract: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9",
  token: USDC,
  token_decimals: 6,
  deposit_key: depositKey,
});

const entries: CreditEntryView[] = [
  { id: "12", kind: "usage", amount_micro_usd: "-845", balance_after_micro_usd: "24999155", ref: "key_a1:req-1", memo: null, created_at: "2026-12-05T01:02:00.000Z" },
  { id: "11", kind: "deposit", amount_micro_usd: "25000000", balance_after_micro_usd: "25000000", ref: "deposit:31337:0xabc:1", memo: "USDC deposit #0 from 0xf39f", created_at: "2026-12-05T01:00:00.000Z" },
];

function creditsPlatform(deposit: DepositInfoView) {
  return fakeFetch(
    {
      "GET /account/credits": () => ({
        body: { balance_micro_usd: "24999155", held_micro_usd: "1000", available_micro_usd: "24998155", locked_reason: null, holds: [] },
      }),
      "GET /account/credits/entries": () => ({ body: { data: entries, next_cursor: null } }),
      "GET /account/credits/deposit": () => ({ body: deposit }),
    },
    (method, params) => {
      if (method !== "eth_call") return undefined;
      const { to, data } = params[0] as { to: string; data: `0x${string}` };
      const call = decodeFunctionData({ abi: erc20Abi, data });
      // The wallet's balance of the deposit token: 100 USDC (6 decimals).
      if (to.toLowerCase() === USDC.toLowerCase() && call.functionName === "balanceOf" && call.args[0] === wallet.address) {
        return encodeAbiParameters([{ type: "uint256" }], [100_000_000n]);
      }
      return undefined;
    },
  );
}

describe("credits", () => {
  it("says how a Stripe Checkout went when the browser comes back to the console", async () => {
    for (const [checkout, said] of [["success", /Payment received by Stripe/], ["cancelled", /Checkout was cancelled: nothing was charged/]] as const) {
      creditsPlatform({ usdc: usdcInfo(), card: null });
      window.history.replaceState(null, "", `/console?tab=credits&checkout=${checkout}`);
      await renderWithApp(<CreditsPanel account={account} />);
      expect((await screen.findByText(said)).getAttribute("role")).toBe("status");
      cleanup();
    }
    window.history.replaceState(null, "", "/console");
    creditsPlatform({ usdc: usdcInfo(), card: null });
    await renderWithApp(<CreditsPanel account={account} />);
    await screen.findByText("Available", { selector: "dt" });
    expect(screen.queryByText(/Payment received by Stripe|Checkout was cancelled/)).toBeNull();
  });

  it("shows balance, held and available, the entries signed, and the wallet's USDC; card top-ups off says so", async () => {
    creditsPlatform({ usdc: usdcInfo(), card: null });
    await renderWithApp(<CreditsPanel account={account} />);
    const stat = async (label: string) => (await screen.findByText(label, { selector: "dt" })).nextElementSibling!.textContent;
    expect(await stat("Available")).toBe("$24.998155");
    expect(await stat("Balance")).toBe("$24.999155");
    expect(await stat("Held")).toBe("$0.001");
    const table = await screen.findByRole("table", { name: "Credit entries, newest first" });
    const rows = within(table).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell").slice(1).map((c) => c.textContent));
    expect(rows).toEqual([
      ["Usage", "-$0.000845", "$24.999155"],
      ["DepositUSDC deposit #0 from 0xf39f", "+$25.00", "$25.00"],
    ]);
    expect(await screen.findByText(/Your wallet holds 100 USDC\./)).toBeTruthy();
    expect(screen.getByText(/Card payments are turned off on this platform/)).toBeTruthy();
  });

  it("refuses a deposit above the wallet's USDC before asking the wallet", async () => {
    creditsPlatform({ usdc: usdcInfo(), card: null });
    await renderWithApp(<CreditsPanel account={account} />);
    await screen.findByText(/Your wallet holds 100 USDC\./);
    fireEvent.change(screen.getByLabelText("Amount (USD)"), { target: { value: "100.01" } });
    fireEvent.click(screen.getByRole("button", { name: "Deposit USDC" }));
    expect(await screen.findByText("Your wallet holds only 100 USDC.")).toBeTruthy();
  });

  it("turns USDC deposits off when the platform's deposit key is not the account's", async () => {
    creditsPlatform({ usdc: usdcInfo(accountIdOf("acct_8")), card: { checkout: "POST /api/v1/billing/checkout", min_cents: 500, max_cents: 1_000_000 } });
    await renderWithApp(<CreditsPanel account={account} />);
    expect((await screen.findByText(/deposit key does not match your account/)).getAttribute("role")).toBe("alert");
    expect(screen.queryByRole("button", { name: "Deposit USDC" })).toBeNull();
    // Card top-ups are on: whole cents within the platform's bounds.
    fireEvent.change(screen.getByLabelText("Amount (USD)"), { target: { value: "4.99" } });
    fireEvent.click(screen.getByRole("button", { name: "Pay by card" }));
    expect(await screen.findByText("A card top-up must be between $5.00 and $10,000.00.")).toBeTruthy();
  });
});
