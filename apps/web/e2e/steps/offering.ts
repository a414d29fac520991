// Browser steps on the offering page (/offerings/:ticker), for the end-to-end journey. Each one
// navigates, acts as the wallet the page is already connected with, and waits for the action's
// success status; a failure (role "alert") throws with the sentence the page shows. Roles and
// labels only: these steps are what a person sees.
import type { Locator, Page } from "playwright-core";

const ACTION_TIMEOUT_MS = 60_000;

/**
 * Opens the offering inside the running app (history navigation, which the app's router follows):
 * a reload would drop the wallet connection the journey made. A page not on the app yet loads it.
 */
async function openOffering(page: Page, baseUrl: string, ticker: string): Promise<void> {
  const base = baseUrl.replace(/\/$/, "");
  const path = `/offerings/${encodeURIComponent(ticker)}`;
  if (page.url().startsWith(`${base}/`)) {
    await page.evaluate((to) => {
      window.history.pushState(null, "", to);
      window.dispatchEvent(new PopStateEvent("popstate"));
    }, path);
  } else {
    await page.goto(`${base}${path}`);
  }
  // A launch the indexer has not brought in yet reads "Offering not found" until the page's next refresh.
  await page.getByRole("heading", { level: 1 }).filter({ hasNotText: /not found/ }).waitFor();
  if (!(await page.getByRole("button", { name: "Disconnect" }).isVisible())) throw new Error("offering page: no wallet connected (connect one first)");
}

/**
 * Clicks `button` and waits for `scope`'s status to read `success`, or throws the alert it shows
 * instead. A success left from an earlier action on the same page (its transaction differs) does not count.
 */
async function act(scope: Locator, button: Locator, success: RegExp): Promise<string> {
  const status = scope.getByRole("status").filter({ hasText: success });
  const before = (await status.count()) > 0 ? await status.first().innerText() : undefined;
  await button.click();
  const done = before === undefined ? status : status.filter({ hasNotText: before });
  const failed = scope.getByRole("alert");
  await done.or(failed).first().waitFor({ timeout: ACTION_TIMEOUT_MS });
  if (await failed.count()) throw new Error(`offering page: ${await failed.first().innerText()}`);
  return done.first().innerText();
}

/**
 * Buys $TICKER with `flock` FLOCK (a decimal string, e.g. "1000"), approving first if needed; returns
 * the success sentence. In the anti-snipe window (right after a launch) it accepts the fee the form
 * shows: the journey means to buy.
 */
export async function buyOnOffering(page: Page, baseUrl: string, ticker: string, flock: string): Promise<string> {
  await openOffering(page, baseUrl, ticker);
  const form = page.getByRole("form", { name: `Buy $${ticker}` });
  await form.or(page.getByRole("group", { name: "Offering actions" })).first().waitFor();
  if ((await form.count()) === 0) throw new Error(`offering page: $${ticker} is not raising, there is no buy form`);
  await form.getByLabel("Amount (FLOCK)").fill(flock);
  await form.getByLabel("Quote").waitFor();
  const surcharge = form.getByRole("checkbox", { name: /^I accept a .* fee on this buy/ });
  if (await surcharge.isVisible()) await surcharge.check();
  return act(form, form.getByRole("button", { name: "Buy", exact: true }), /^Bought /);
}

/** Graduates $TICKER (its raise succeeded); returns the success sentence. */
export async function graduateOffering(page: Page, baseUrl: string, ticker: string): Promise<string> {
  await openOffering(page, baseUrl, ticker);
  const actions = page.getByRole("group", { name: "Offering actions" });
  return act(actions, actions.getByRole("button", { name: "Graduate" }), /^Graduated/);
}

/** Claims the connected wallet's claimable $TICKER (graduated); returns the success sentence. */
export async function claimOffering(page: Page, baseUrl: string, ticker: string): Promise<string> {
  await openOffering(page, baseUrl, ticker);
  const actions = page.getByRole("group", { name: "Offering actions" });
  return act(actions, actions.getByRole("button", { name: /^Claim / }), /^Claimed /);
}
