// Browser steps on the portfolio (/portfolio, the connected wallet's), for the end-to-end journey.
// They act as the wallet the page is already connected with and read what a person sees, by roles
// and labels: a failure (role "alert") throws with the page's own sentence.
import type { Page } from "playwright-core";

/** A rewards root stays in its challenge period for a while after the keeper posts it. */
const CLAIMABLE_TIMEOUT_MS = 180_000;
const ACTION_TIMEOUT_MS = 120_000;
/** The page follows the indexer every 10 s; a new position shows within a few polls. */
const POSITION_TIMEOUT_MS = 60_000;

/**
 * Goes to /portfolio inside the app (a link click, not a reload: the local chain's dev-account
 * connector keeps its connection in memory only, so a reload would disconnect the wallet).
 */
async function openPortfolio(page: Page, baseUrl: string): Promise<void> {
  const base = baseUrl.replace(/\/+$/, "");
  if (!page.url().startsWith(base)) await page.goto(`${base}/portfolio`);
  else {
    const link = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Portfolio", exact: true });
    // On a phone the main navigation sits behind the Menu button.
    if (!(await link.first().isVisible())) await page.getByRole("button", { name: "Menu" }).click();
    await link.filter({ visible: true }).first().click();
  }
  const own = page.getByRole("heading", { level: 1, name: "Your portfolio" });
  const notConnected = page.getByText("Connect a wallet to see your portfolio");
  await own.or(notConnected).first().waitFor();
  if (!(await own.isVisible())) throw new Error("portfolio: no wallet is connected on this page (connect a dev account first)");
}

/**
 * Claims every reward token of the latest root in one click ("Claim all rewards"), waiting for the
 * root to be claimable if it is still in its challenge period; returns the amounts the page says were
 * paid, e.g. ["12.5 FLOCK", "3 STORY"].
 */
export async function claimAllRewards(page: Page, baseUrl: string): Promise<string[]> {
  await openPortfolio(page, baseUrl);
  const rewards = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: "Rewards", exact: true }) });
  const claimAll = rewards.getByRole("button", { name: "Claim all rewards" });
  await claimAll.waitFor({ timeout: POSITION_TIMEOUT_MS });
  const deadline = Date.now() + CLAIMABLE_TIMEOUT_MS;
  while (!(await claimAll.isEnabled())) {
    if (Date.now() > deadline) throw new Error(`portfolio: rewards not claimable after ${CLAIMABLE_TIMEOUT_MS / 1000} s: ${await rewards.innerText()}`);
    await page.waitForTimeout(1_000);
  }
  await claimAll.click();
  const paid = rewards.getByRole("list", { name: "Rewards claimed" });
  const failed = rewards.getByRole("alert");
  await paid.or(failed).first().waitFor({ timeout: ACTION_TIMEOUT_MS });
  if (await failed.count()) throw new Error(`portfolio: claiming rewards failed: ${await failed.first().innerText()}`);
  return (await paid.getByRole("listitem").allInnerTexts()).map((t) => t.trim());
}

export interface PortfolioPositionRow {
  ticker: string;
  /** raising, succeeded, failed or graduated. */
  state: string;
  /** Each figure as shown, by its label: "$MT owed", "Claimable", "Vesting" (issuer), "FLOCK committed", "Refundable". */
  figures: Record<string, string>;
  /** The buttons the row offers ("Claim STORY", "Refund FLOP"). */
  actions: string[];
}

/** The connected wallet's position in $TICKER as its row shows it (waits for the indexer to bring it in). */
export async function portfolioPosition(page: Page, baseUrl: string, ticker: string): Promise<PortfolioPositionRow> {
  await openPortfolio(page, baseUrl);
  const row = page.getByRole("article", { name: `${ticker} position`, exact: true });
  await row.waitFor({ timeout: POSITION_TIMEOUT_MS });
  const figures: Record<string, string> = {};
  // textContent, not innerText: the labels are upper-cased by CSS only.
  for (const term of await row.locator("dt").all()) {
    // Each figure is <dt>label</dt><dd>value</dd>[<dd>hint</dd>].
    const value = await term.locator("xpath=following-sibling::dd[1]").textContent();
    figures[(await term.textContent())?.trim() ?? ""] = value?.trim() ?? "";
  }
  const heading = (await row.getByRole("heading", { level: 3 }).textContent())?.trim() ?? "";
  const state = ((await row.locator("header").textContent()) ?? "").trim().slice(heading.length).trim();
  const actions = await Promise.all((await row.getByRole("button").all()).map(async (b) => (await b.getAttribute("aria-label")) ?? (await b.innerText()).trim()));
  return { ticker, state, figures, actions };
}

