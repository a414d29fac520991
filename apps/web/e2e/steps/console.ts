// Browser steps on the API console for the end-to-end journey: sign in with the connected wallet,
// create an API key (its secret read from the one place it is shown), and wait for usage of a model
// to show. Roles and labels only, as a person (or a screen reader) finds them.
import type { Locator, Page } from "playwright-core";

const SIGNED_IN_TIMEOUT = 30_000;

/**
 * Opens the console. Without a search, through the header's link (the phone menu's on a narrow
 * screen): in-app navigation keeps the wallet connected, where a reload would have to reconnect it.
 */
async function openConsole(page: Page, baseUrl: string, search = ""): Promise<void> {
  if (!search && new URL(page.url()).pathname === "/console") return;
  if (!search) {
    const menu = page.getByRole("button", { name: "Menu", exact: true });
    if ((await menu.isVisible().catch(() => false)) && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
    const link = page.getByRole("link", { name: "Console", exact: true }).filter({ visible: true }).first();
    if (await link.isVisible().catch(() => false)) return link.click();
  }
  await page.goto(new URL(`/console${search}`, baseUrl).href);
}

/** Waits for `done`, or fails with the sentence the page shows in an alert. */
async function untilOrAlert(page: Page, done: Locator, what: string): Promise<void> {
  const alert = page.getByRole("alert");
  await done.or(alert).first().waitFor({ timeout: SIGNED_IN_TIMEOUT });
  if (!(await done.first().isVisible())) throw new Error(`${what}: ${(await alert.first().textContent())?.trim()}`);
}

/** On a page whose wallet is connected: opens /console and signs in (SIWE) unless already signed in. */
export async function signIn(page: Page, baseUrl: string): Promise<void> {
  await openConsole(page, baseUrl);
  const signOut = page.getByRole("button", { name: "Sign out" });
  const signInButton = page.getByRole("button", { name: "Sign in with Ethereum" });
  await signInButton.or(signOut).first().waitFor({ timeout: SIGNED_IN_TIMEOUT });
  if (await signOut.isVisible()) return;
  await signInButton.click();
  await untilOrAlert(page, signOut, "sign-in failed");
  // The account is read: the console's sections are on screen.
  await page.getByRole("tab", { name: "API keys" }).waitFor();
}

async function openTab(page: Page, baseUrl: string, name: string): Promise<void> {
  await openConsole(page, baseUrl);
  const tab = page.getByRole("tab", { name });
  await tab.waitFor({ timeout: SIGNED_IN_TIMEOUT });
  if ((await tab.getAttribute("aria-selected")) !== "true") await tab.click();
}

/** Creates an API key named `name` (signed in) and returns its secret, read where it is shown once, then dismissed. */
export async function createApiKey(page: Page, baseUrl: string, name: string): Promise<string> {
  await openTab(page, baseUrl, "API keys");
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = page.getByLabel("Secret key", { exact: true });
  await untilOrAlert(page, secret, "creating the API key failed");
  const value = await secret.inputValue();
  await page.getByRole("button", { name: "I have stored it, hide the key" }).click();
  await page.getByRole("article", { name }).first().waitFor();
  return value;
}

/**
 * Reloads the console's usage (signed in) until the requests chart lists `model`, and returns the
 * number of requests it shows for it (the platform's daily sums: settled requests only).
 */
export async function usageShows(page: Page, baseUrl: string, model: string, timeoutMs = 60_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  await openConsole(page, baseUrl, `?tab=usage&model=${encodeURIComponent(model)}`);
  for (;;) {
    const requests = page.getByRole("button", { name: "Requests", exact: true });
    await requests.or(page.getByText("No usage in this window")).first().waitFor({ timeout: SIGNED_IN_TIMEOUT });
    if ((await requests.isVisible()) && (await requests.getAttribute("aria-pressed")) !== "true") await requests.click();
    const row = page.getByRole("list", { name: "requests per model" }).getByRole("listitem").filter({ has: page.getByText(model, { exact: true }) });
    if (await row.first().isVisible().catch(() => false)) {
      const shown = (await row.first().getByText(/ req$/).textContent()) ?? "";
      return Number(shown.replace(/ req$/, "").replaceAll(",", ""));
    }
    if (Date.now() > until) throw new Error(`no usage of ${model} shown within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(2_000);
    await page.reload();
  }
}

/**
 * Buys `usd` of credits with USDC from the connected wallet (signed in): approve and deposit through
 * the console, then waits until the indexer has credited the deposit. A new account has no credits,
 * and the gateway refuses its keys until it has some.
 */
export async function depositUsdc(page: Page, baseUrl: string, usd: string): Promise<void> {
  await openTab(page, baseUrl, "Credits");
  const form = page.getByRole("form", { name: "Deposit USDC" });
  await form.getByLabel("Amount (USD)").fill(usd);
  await form.getByRole("button", { name: "Deposit USDC" }).click();
  await untilOrAlert(page, form.getByText(/of credits arrived/), "the USDC deposit failed");
}
