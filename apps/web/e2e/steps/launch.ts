// Browser steps for the marketplace and the launch wizard, by roles and labels (what a person sees),
// for the end-to-end journey. The page must already have a wallet connected for launchOffering
// (connectDevAccount in ../browser.ts).
import type { Page } from "playwright-core";

const LAUNCH_TIMEOUT_MS = 60_000;

/**
 * Goes to `path` of the app at `baseUrl`: through the app's own navigation when the page is already
 * on it (a full load would drop a dev-account connection: the mock connector does not reconnect),
 * else by loading the URL.
 */
async function visit(page: Page, baseUrl: string, path: string, linkName: string): Promise<void> {
  const target = new URL(path, baseUrl);
  if (new URL(page.url()).origin !== target.origin) {
    await page.goto(target.href);
    return;
  }
  const nav = page.getByRole("navigation", { name: "Main" });
  if ((await nav.count()) === 0) await page.getByRole("button", { name: "Menu" }).click();
  await nav.getByRole("link", { name: linkName, exact: true }).click();
  await page.waitForURL(target.href);
}

/** Opens the marketplace and waits until its list (or its empty state) has rendered. */
export async function openMarketplace(page: Page, baseUrl: string): Promise<void> {
  await visit(page, baseUrl, "/", "Marketplace");
  await page.getByRole("heading", { name: "Marketplace" }).waitFor();
  await page.getByRole("table", { name: "Offerings" }).or(page.getByText("No offerings yet")).waitFor();
}

/**
 * Launches an offering through the wizard (the first enabled template, the name and ticker given,
 * optionally a first buy of `firstBuyFlock` FLOCK as typed, e.g. "5000"), waits for the success
 * state, opens the new offering's page and returns once it shows the ticker.
 */
export async function launchOffering(page: Page, baseUrl: string, o: { name: string; ticker: string; firstBuyFlock?: string }): Promise<void> {
  await visit(page, baseUrl, "/launch", "Launch");
  await page.getByRole("heading", { name: "Launch a model" }).waitFor();
  await page.getByLabel("Name", { exact: true }).fill(o.name);
  await page.getByLabel("Ticker", { exact: true }).fill(o.ticker);
  if (o.firstBuyFlock !== undefined) {
    await page.getByLabel("First buy, FLOCK").fill(o.firstBuyFlock);
    await page.getByTestId("first-buy-quote").waitFor();
  }
  // click() waits for the button to be enabled: it is once the launch fee has been read from the chain.
  await page.getByRole("button", { name: "Approve and launch" }).click();
  const success = page.getByTestId("launch-success").or(page.getByRole("alert"));
  await success.first().waitFor({ timeout: LAUNCH_TIMEOUT_MS });
  const open = page.getByRole("link", { name: `Open ${o.ticker}'s offering` });
  if (!(await open.isVisible())) {
    const why = await page.getByRole("alert").first().textContent();
    throw new Error(`launching ${o.ticker} failed: ${why ?? "no message"}`);
  }
  await open.click();
  await page.waitForURL(`**/offerings/${encodeURIComponent(o.ticker)}`);
  // The offering page names the offering in its heading once the platform has indexed the launch.
  await page.getByRole("heading", { level: 1, name: o.name, exact: true }).waitFor({ timeout: LAUNCH_TIMEOUT_MS });
}
