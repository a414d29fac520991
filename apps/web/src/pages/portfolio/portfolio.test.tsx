// The portfolio as a person sees it, rendered with the app's real providers (TanStack Query, wagmi
// with the local chain's dev-account connectors, the router) on answers shaped like the platform's.
// The SDK calls go to recorders (chain.ts): the tests check what would be sent, and that the page
// shows pending → success → failure; the browser journey (e2e/steps/portfolio.ts) sends them for real.
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { connect, disconnect } from "wagmi/actions";
import { WagmiProvider } from "wagmi";
import { FLOCK, launchpadAbi, MT, rewardsDistributorAbi } from "@fomo/sdk";
import { ContractFunctionExecutionError, ContractFunctionRevertedError, encodeErrorResult, type Abi } from "viem";
import { NetworkProvider } from "../../lib/network.tsx";
import { Router } from "../../lib/router.tsx";
import { wagmiConfigFor } from "../../lib/wagmi.ts";
import { PortfolioCallsProvider, type PortfolioCalls } from "./chain.ts";
import { ACCOUNTS, AS_OF, createdBy, emptyPortfolio, issuerPortfolio, NETWORK, OFFERINGS, supporterPortfolio, TOKENS } from "./fixtures.ts";
import PortfolioPage from "./index.tsx";
import type { PortfolioView } from "./wire.ts";

const TX = `0x${"ab".repeat(32)}` as const;

interface Api {
  portfolios: Record<string, PortfolioView | { status: number; code: string; message: string }>;
}

/** The platform API as fetch sees it: the routes the page reads, answering the fixtures. */
function serve(api: Api) {
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  return vi.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), "http://127.0.0.1:5104");
    const portfolio = /^\/api\/v1\/portfolios\/(0x[0-9a-fA-F]{40})$/.exec(url.pathname);
    if (portfolio) {
      const found = api.portfolios[portfolio[1]!.toLowerCase()];
      if (!found) return json(200, emptyPortfolio(portfolio[1] as `0x${string}`));
      return "status" in found ? json(found.status, { error: { code: found.code, message: found.message } }) : json(200, found);
    }
    const one = /^\/api\/v1\/offerings\/(0x[0-9a-fA-F]{40})$/.exec(url.pathname);
    if (one) {
      const o = OFFERINGS[one[1]!.toLowerCase()];
      return o ? json(200, o) : json(404, { error: { code: "not_found", message: "Offering not found." } });
    }
    if (url.pathname === "/api/v1/offerings") return json(200, createdBy(url.searchParams.get("creator") ?? ""));
    return json(404, { error: { code: "not_found", message: `No route ${url.pathname}` } });
  });
}

/** What a recorder may resolve to: the fields of the SDK's answer the page reads (no receipt). */
type Fake<F> = F extends (...args: infer A) => Promise<unknown> ? (...args: A) => Promise<unknown> : never;
type Recorders = { [K in keyof PortfolioCalls]: Mock<PortfolioCalls[K]> };

/** Recorders with the SDK's signatures; each resolves like the action it stands for. */
function recorders(overrides: Partial<{ [K in keyof PortfolioCalls]: Fake<PortfolioCalls[K]> }> = {}): Recorders {
  const sent = { hash: TX };
  const fakes: { [K in keyof PortfolioCalls]: Fake<PortfolioCalls[K]> } = {
    claim: async (_c, _d, p) => ({ ...sent, amount: p.mt === TOKENS.story ? 1_500n * MT : 0n }),
    refund: async () => ({ ...sent, amount: 49_500n * FLOCK }),
    unstake: async (_c, _d, p) => ({ ...sent, unstaked: { amount: p.amount, releaseAt: Number(AS_OF + 7n * 86_400n) } }),
    withdrawStake: async () => ({ ...sent, amount: 40n * MT }),
    claimReward: async (_c, _d, p) => {
      const leaf = supporterPortfolio().rewards!.claims.find((c) => c.token === p.token)!;
      return { ...sent, amount: BigInt(leaf.claimable), cumulative: p.cumulativeAmount };
    },
    claimYield: async () => ({ ...sent, issuer: ACCOUNTS.issuer, amount: 12_345_678n }),
    getYieldOwed: async (_c, _d, p) => (p.mt === TOKENS.story ? 12_345_678n : 0n),
    // The published root is live by default.
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fakes).map(([name, fake]) => [name, vi.fn(fake)])) as unknown as Recorders;
}

/** What viem throws when a contract reverts with a custom error (what the SDK's actions pass on). */
function reverted<const A extends Abi>(abi: A, functionName: string, errorName: string, args: readonly unknown[], contractAddress: `0x${string}`) {
  return new ContractFunctionExecutionError(
    new ContractFunctionRevertedError({ abi, functionName, data: encodeErrorResult({ abi: abi as Abi, errorName, args } as never) }),
    { abi, functionName, args: [], contractAddress },
  );
}

const config = wagmiConfigFor(NETWORK);

async function renderAt(path: string, { api, calls = recorders(), as }: { api: Api; calls?: Recorders; as?: number }) {
  vi.stubGlobal("fetch", serve(api));
  if (as !== undefined) await connect(config, { connector: config.connectors.find((c) => c.id === `dev-${as}`)! });
  window.history.pushState(null, "", path);
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const view = render(
    <QueryClientProvider client={queryClient}>
      <WagmiProvider config={config}>
        <NetworkProvider network={NETWORK}>
          <PortfolioCallsProvider value={calls}>
            <Router
              routes={[
                { path: "/portfolio", render: () => <PortfolioPage /> },
                { path: "/portfolio/:address", render: () => <PortfolioPage /> },
              ]}
              notFound={() => null}
            />
          </PortfolioCallsProvider>
        </NetworkProvider>
      </WagmiProvider>
    </QueryClientProvider>,
  );
  return Object.assign(calls, { queryClient, view });
}

const supporterApi = (): Api => ({ portfolios: { [ACCOUNTS.supporter.toLowerCase()]: supporterPortfolio() } });
const position = (ticker: string) => screen.findByRole("article", { name: `${ticker} position` });
const stake = (ticker: string) => screen.findByRole("article", { name: `${ticker} stake` });
/** A stat's value by its label, inside `scope`. */
const stat = (scope: HTMLElement, label: string) => within(scope).getByText(label, { selector: "dt" }).nextElementSibling?.textContent;

beforeEach(async () => {
  await disconnect(config).catch(() => {});
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("portfolio page", () => {
  it("asks to connect a wallet when none is connected and no address is given, and looks up any address", async () => {
    await renderAt("/portfolio", { api: supporterApi() });
    expect(screen.getByText("Connect a wallet to see your portfolio")).toBeTruthy();
    const field = screen.getByLabelText("Or look at an address");
    const view = screen.getByRole("button", { name: "View" }) as HTMLButtonElement;
    fireEvent.change(field, { target: { value: "0x1234" } });
    expect(screen.getByText("Not an address: 0x and 40 hexadecimal digits.")).toBeTruthy();
    expect(view.disabled).toBe(true);
    fireEvent.change(field, { target: { value: ` ${ACCOUNTS.supporter.toLowerCase()} ` } });
    fireEvent.click(view);
    expect(window.location.pathname).toBe(`/portfolio/${ACCOUNTS.supporter}`);
    expect(stat(await position("STORY"), "Claimable")).toBe("1,500 STORY");
    expect(screen.getByText(/Read-only/)).toBeTruthy();
  });

  it("shows another address read-only: amounts, but no buttons that would send from the wallet", async () => {
    await renderAt(`/portfolio/${ACCOUNTS.supporter}`, { api: supporterApi() });
    const story = await position("STORY");
    expect(stat(story, "Claimable")).toBe("1,500 STORY");
    expect(stat(await position("FLOP"), "Refundable")).toBe("49,500 FLOCK");
    expect(screen.getByText(/Read-only/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Claim|^Refund|^Unstake|^Withdraw/ })).toBeNull();
  });

  it("offers Claim on a graduated position, Refund on a failed one, neither on a raising one, and claims for the wallet", async () => {
    const calls = await renderAt("/portfolio", { api: supporterApi(), as: 2 });
    const story = await position("STORY");
    const flop = await position("FLOP");
    const rise = await position("RISE");
    expect(within(rise).queryByRole("button")).toBeNull();
    expect(within(flop).queryByRole("button", { name: "Claim FLOP" })).toBeNull();
    expect(within(story).queryByRole("button", { name: "Refund STORY" })).toBeNull();

    const claim = within(story).getByRole("button", { name: "Claim STORY" });
    await waitFor(() => expect((claim as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(claim);
    expect(await within(story).findByText(/Claimed 1,500 STORY/)).toBeTruthy();
    expect(calls.claim).toHaveBeenCalledTimes(1);
    expect(calls.claim.mock.calls[0]![2]).toEqual({ mt: TOKENS.story, account: ACCOUNTS.supporter });

    fireEvent.click(within(flop).getByRole("button", { name: "Refund FLOP" }));
    expect(await within(flop).findByText(/Refunded 49,500 FLOCK/)).toBeTruthy();
    expect(calls.refund.mock.calls[0]![2]).toEqual({ mt: TOKENS.flop, account: ACCOUNTS.supporter });
  });

  it("shows a contract's refusal decoded into a sentence beside the button", async () => {
    const revert = reverted(launchpadAbi, "claim", "LaunchpadNothingToClaim", [TOKENS.story, ACCOUNTS.supporter], NETWORK.deployments.contracts.launchpad);
    await renderAt("/portfolio", { api: supporterApi(), as: 2, calls: recorders({ claim: async () => Promise.reject(revert) }) });
    const story = await position("STORY");
    const claim = within(story).getByRole("button", { name: "Claim STORY" });
    await waitFor(() => expect((claim as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(claim);
    const alert = (await within(story).findByRole("alert")).textContent!;
    expect(alert).toMatch(/has no \$MT to claim from offering/);
    expect(alert).not.toMatch(/LaunchpadNothingToClaim|reverted|0x[0-9a-f]{8}(?![0-9a-fA-F])/);
    expect((claim as HTMLButtonElement).disabled).toBe(false);
  });

  it("claims every token with something to claim in one click, one transaction each, and shows what was paid", async () => {
    const api = supporterApi();
    const calls = await renderAt("/portfolio", { api, as: 2 });
    const claimAll = await screen.findByRole("button", { name: "Claim all rewards" });
    await waitFor(() => expect((claimAll as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(claimAll);
    const paid = await screen.findByRole("list", { name: "Rewards claimed" });
    expect(within(paid).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["12.5 FLOCK", "3 STORY"]);
    // The fully claimed RISE leaf is not sent; each leaf goes with its own proof, for the viewed account.
    expect(calls.claimReward.mock.calls.map((c) => c[2])).toEqual([
      { account: ACCOUNTS.supporter, token: TOKENS.flock, cumulativeAmount: 30n * FLOCK + FLOCK / 2n, proof: supporterPortfolio().rewards!.claims[0]!.proof },
      { account: ACCOUNTS.supporter, token: TOKENS.story, cumulativeAmount: 3n * MT, proof: supporterPortfolio().rewards!.claims[1]!.proof },
    ]);

    // The indexer brings the claims in: nothing is left to claim, and what was paid stays in view.
    const after = supporterPortfolio();
    after.rewards!.claims = after.rewards!.claims.map((c) => ({ ...c, claimed: c.cumulative_amount, claimable: "0" }));
    api.portfolios[ACCOUNTS.supporter.toLowerCase()] = after;
    await calls.queryClient.invalidateQueries();
    await waitFor(() => expect(screen.queryByRole("button", { name: "Claim FLOCK rewards" })).toBeNull());
    expect((screen.getByRole("button", { name: "Claim all rewards" }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(screen.getByRole("list", { name: "Rewards claimed" })).getAllByRole("listitem")).toHaveLength(2);
  });

  it("says which rewards were paid when a later one fails", async () => {
    let n = 0;
    const calls = recorders({
      claimReward: async () => {
        n += 1;
        if (n === 2) throw reverted(rewardsDistributorAbi, "claim", "RewardsDistributorOverAllotment", [TOKENS.story], NETWORK.deployments.contracts.rewardsDistributor);
        return { hash: TX, amount: 12n * FLOCK + FLOCK / 2n, cumulative: 0n };
      },
    });
    await renderAt("/portfolio", { api: supporterApi(), as: 2, calls });
    const claimAll = await screen.findByRole("button", { name: "Claim all rewards" });
    await waitFor(() => expect((claimAll as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(claimAll);
    expect((await screen.findByRole("alert")).textContent).toBe(
      `Claimed 12.5 FLOCK; then STORY failed: This claim would pay more of token ${TOKENS.story} than the live root allots.`,
    );
  });

  it("holds reward claims while the only root is in its challenge period", async () => {
    const api = supporterApi();
    const before = supporterPortfolio();
    // No live root yet: the platform serves the posted one apart, with when it goes live.
    api.portfolios[ACCOUNTS.supporter.toLowerCase()] = { ...before, rewards: null, pending_rewards: { ...before.rewards!, live_at: String(AS_OF + 7_200n) } };
    await renderAt("/portfolio", { api, as: 2 });
    expect(await screen.findByText(/challenge period: claimable in 2h 00m/)).toBeTruthy();
    expect((screen.getByRole("button", { name: "Claim all rewards" }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole("button", { name: "Claim FLOCK rewards" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("claims against the live root while a newer root waits out its challenge period", async () => {
    const api = supporterApi();
    const NEWER = `0x${"22".repeat(32)}` as const;
    const before = supporterPortfolio();
    // The keeper posted epoch 8 (pending for an hour); epoch 7's root is the live one, and the wallet's FLOCK of epoch 7 was claimed since.
    api.portfolios[ACCOUNTS.supporter.toLowerCase()] = {
      ...before,
      pending_rewards: {
        epoch: "8",
        root: NEWER,
        live_at: String(AS_OF + 3_600n),
        claims: [{ token: TOKENS.flock, cumulative_amount: String(40n * FLOCK), claimed: String(30n * FLOCK + FLOCK / 2n), claimable: String(9n * FLOCK + FLOCK / 2n), proof: [NEWER] }],
      },
      reward_claims: [...before.reward_claims, { ...before.reward_claims[0]!, amount: String(12n * FLOCK + FLOCK / 2n), cumulative: String(30n * FLOCK + FLOCK / 2n), log_index: 2 }],
    };
    const calls = await renderAt("/portfolio", { api, as: 2 });
    expect(await screen.findByText(/epoch 8's root is in its challenge period: claimable in (1h 00m|59m)/)).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole("button", { name: "Claim FLOCK rewards" })).toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "Claim all rewards" }));
    await screen.findByRole("list", { name: "Rewards claimed" });
    // Epoch 7's STORY leaf, proven against epoch 7's (live) root; its FLOCK was already paid.
    expect(calls.claimReward.mock.calls.map((c) => c[2])).toEqual([
      { account: ACCOUNTS.supporter, token: TOKENS.story, cumulativeAmount: 3n * MT, proof: before.rewards!.claims[1]!.proof },
    ]);
  });

  it("counts down a cooling stake, offers Withdraw only once released, and unstakes the exact amount typed", async () => {
    const calls = await renderAt("/portfolio", { api: supporterApi(), as: 2 });
    const story = await stake("STORY");
    expect(stat(story, "Staked")).toBe("12,000 STORY");
    expect(stat(story, "Discount tier")).toMatch(/^10% off/);
    expect(stat(story, "Release")).toMatch(/^in (1h 00m|59m)/);
    expect((within(story).getByRole("button", { name: "Withdraw STORY" }) as HTMLButtonElement).disabled).toBe(true);

    const rise = await stake("RISE");
    const withdraw = within(rise).getByRole("button", { name: "Withdraw RISE" });
    await waitFor(() => expect((withdraw as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(withdraw);
    expect(await within(rise).findByText(/Withdrew 40 RISE/)).toBeTruthy();

    const input = within(story).getByLabelText("STORY to unstake");
    const unstake = within(story).getByRole("button", { name: "Unstake STORY" }) as HTMLButtonElement;
    fireEvent.change(input, { target: { value: "12000.5" } });
    expect(within(story).getByText("That is more than you have staked.")).toBeTruthy();
    expect(unstake.disabled).toBe(true);
    fireEvent.change(input, { target: { value: "0.000000000000000001" } });
    await waitFor(() => expect(unstake.disabled).toBe(false));
    fireEvent.click(unstake);
    await within(story).findByText(/Unstaked/);
    expect(calls.unstake.mock.calls[0]![2]).toEqual({ mt: TOKENS.story, amount: 1n });
  });

  it("shows the issuer's first buy still vesting and when it is all free", async () => {
    await renderAt(`/portfolio/${ACCOUNTS.issuer}`, { api: { portfolios: { [ACCOUNTS.issuer.toLowerCase()]: issuerPortfolio() } } });
    const story = await position("STORY");
    expect(stat(story, "Vesting")).toBe("8,000 STORY");
    expect(stat(story, "Claimable")).toBe("2,000 STORY");
    // 90 days (Launchpad.FIRST_BUY_VESTING) from STORY's graduation a day before the answer.
    const freeAt = new Date(Number(AS_OF - 86_400n + 90n * 86_400n) * 1000).toLocaleString();
    await waitFor(() => expect(within(story).getByText(`Unlocks gradually until ${freeAt}`)).toBeTruthy());
    expect(within(await position("RISE")).getByText("Locked until graduation, then unlocks over 90d 0h")).toBeTruthy();
    // A supporter's row has no vesting figure at all.
    cleanup();
    await renderAt(`/portfolio/${ACCOUNTS.supporter}`, { api: supporterApi() });
    expect(within(await position("STORY")).queryByText("Vesting")).toBeNull();
  });

  it("shows the issuer's yield per created offering and claims it", async () => {
    const calls = await renderAt("/portfolio", { api: { portfolios: {} }, as: 1 });
    const owed = await screen.findByLabelText("STORY yield owed");
    await waitFor(() => expect(owed.textContent).toBe("12.345678 USDC"));
    fireEvent.click(screen.getByRole("button", { name: "Claim STORY yield" }));
    expect(await screen.findByText(/Claimed 12.345678 USDC/)).toBeTruthy();
    expect(calls.claimYield.mock.calls[0]![2]).toEqual({ mt: TOKENS.story });
    // No yield on RISE: nothing to claim there.
    expect(screen.queryByRole("button", { name: "Claim RISE yield" })).toBeNull();
  });

  it("says when the chain does not answer for an issuer's yield", async () => {
    await renderAt(`/portfolio/${ACCOUNTS.issuer}`, { api: { portfolios: {} }, calls: recorders({ getYieldOwed: async () => Promise.reject(new Error("fetch failed")) }) });
    const owed = await screen.findByLabelText("STORY yield owed");
    await waitFor(() => expect(owed.textContent).toBe("Not read: the chain did not answer"));
  });

  it("sums the totals at today's prices and lists the history newest first with transactions", async () => {
    await renderAt(`/portfolio/${ACCOUNTS.supporter}`, { api: supporterApi() });
    const totals = (await screen.findByRole("heading", { name: "Totals" })).parentElement!;
    // STORY at the pool's 3 FLOCK: (1,500 owed + 12,000 staked + 500 cooling) × 3 = 42,000; RISE on
    // the curve at 2: (900 + 40) × 2 = 1,880; FLOP failed counts 0.
    await waitFor(() => expect(stat(totals, "Holdings value")).toBe("43,880 FLOCK"));
    expect(stat(totals, "Claimable $MT")).toBe("4,500 FLOCK");
    // 12.5 FLOCK + 3 STORY × 3.
    expect(stat(totals, "Rewards to claim")).toBe("21.5 FLOCK");
    expect(stat(totals, "Refundable")).toBe("49,500 FLOCK");

    const history = screen.getByRole("table", { name: /Refunds, claims and reward claims/ });
    const rows = within(history).getAllByRole("row").slice(1).map((r) => within(r).getAllByRole("cell").slice(0, 2).map((c) => c.textContent));
    expect(rows).toEqual([
      ["Reward claim", "18 FLOCK"],
      ["Claim", "250 STORY"],
      ["Refund", "500 FLOCK from FLOP"],
    ]);
  });

  it("shows the platform's error and an empty portfolio's prompts", async () => {
    await renderAt(`/portfolio/${ACCOUNTS.deployer}`, {
      api: { portfolios: { [ACCOUNTS.deployer.toLowerCase()]: { status: 503, code: "read_model_unavailable", message: "This platform serves no read model." } } },
    });
    expect((await screen.findByRole("alert")).textContent).toMatch(/This platform serves no read model\./);
    cleanup();
    await renderAt(`/portfolio/${ACCOUNTS.issuer}`, { api: { portfolios: {} } });
    expect(await screen.findByText("No positions")).toBeTruthy();
    expect(screen.getByText("No rewards yet")).toBeTruthy();
    expect(screen.getByText("No stakes")).toBeTruthy();
  });

  it("refuses a malformed address in the path", async () => {
    await renderAt("/portfolio/0x1234", { api: supporterApi() });
    expect(screen.getByRole("alert").textContent).toMatch(/0x1234 is not an address/);
  });
});
