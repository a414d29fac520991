// Browser steps on the model page (/models/<ticker>) for the end-to-end journey: read the model id
// the page tells developers to call, and stake $MT from the wallet already connected on the page.
import type { Page } from "playwright-core";

const STAKE_TIMEOUT_MS = 60_000;

/**
 * Opens /models/<ticker>. On a page already showing the app it navigates in place (history.pushState
 * and a popstate, as the back button does), so the wallet connected on the page stays connected: a
 * reload would drop a dev account's mock connection.
 */
async function openModel(page: Page, baseUrl: string, ticker: string): Promise<void> {
  const url = new URL(`/models/${encodeURIComponent(ticker)}`, baseUrl);
  if (page.url().startsWith(url.origin)) {
    await page.evaluate((path) => {
      window.history.pushState(null, "", path);
      window.dispatchEvent(new PopStateEvent("popstate"));
    }, url.pathname);
  } else {
    await page.goto(url.href);
  }
  await page.getByRole("heading", { level: 1, name: new RegExp(`\\(${ticker}\\)`) }).waitFor();
}

/** The model id shown on /models/<ticker> (the id to pass as `model` to the gateway). */
export async function modelSnippet(page: Page, baseUrl: string, ticker: string): Promise<{ model: string }> {
  await openModel(page, baseUrl, ticker);
  const model = (await page.getByLabel("Model id", { exact: true }).textContent())?.trim();
  if (!model) throw new Error(`the model page of ${ticker} shows no model id`);
  return { model };
}

/**
 * Stakes `amount` (a decimal string of whole $MT, e.g. "1000") of `ticker` from the connected wallet:
 * approval when needed, then the stake, waiting for the page to report success; a failure throws the
 * page's own sentence.
 */
export async function stakeOnModel(page: Page, baseUrl: string, ticker: string, amount: string): Promise<void> {
  await openModel(page, baseUrl, ticker);
  const card = page.locator("section").filter({ has: page.getByRole("heading", { level: 2, name: `Stake ${ticker}`, exact: true }) });
  const field = card.getByLabel(`Stake ${ticker}`, { exact: true });
  await field.waitFor({ timeout: STAKE_TIMEOUT_MS });
  await field.fill(amount);
  // The form checks the amount as it is typed (more than the wallet holds, not a number…): say why now
  // rather than wait for a success that cannot come.
  if ((await field.getAttribute("aria-invalid")) === "true") {
    const why = await page.locator(`#${await field.getAttribute("id")}-error`).innerText();
    throw new Error(`cannot stake ${amount} ${ticker}: ${why}`);
  }
  await card.getByRole("button", { name: "Stake", exact: true }).click();
  const staked = card.getByRole("status").filter({ hasText: /^Staked / });
  const failed = card.getByRole("alert");
  const outcome = await Promise.race([
    staked.waitFor({ timeout: STAKE_TIMEOUT_MS }).then(() => "staked" as const),
    failed.waitFor({ timeout: STAKE_TIMEOUT_MS }).then(() => "failed" as const),
  ]);
  if (outcome === "failed") throw new Error(`staking ${amount} ${ticker} failed: ${await failed.innerText()}`);
}
