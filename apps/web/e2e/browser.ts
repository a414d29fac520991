// Headless Chromium for the browser tests and screenshots: Debian's `chromium` (scripts/ci-chromium.sh
// installs it), driven by playwright-core; never `playwright install`. Every request the page makes
// is recorded, and one to anywhere but this machine is aborted and reported: the app must work
// with no external network.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const CHROMIUM = process.env.FOMO_CHROMIUM ?? "/usr/bin/chromium";

export const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1366, height: 900 },
} as const;

export interface Browser {
  context: BrowserContext;
  /** Requests to hosts other than 127.0.0.1 / localhost, aborted. */
  external: string[];
  /** Uncaught page errors and console errors. */
  errors: string[];
  newPage(viewport?: keyof typeof VIEWPORTS): Promise<Page>;
  close(): Promise<void>;
}

const LOCAL = new Set(["127.0.0.1", "localhost", "[::1]"]);

export async function openBrowser(): Promise<Browser> {
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), "fomo-chromium-")), {
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
  const external: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === "data:" || url.protocol === "blob:" || LOCAL.has(url.hostname)) return route.continue();
    external.push(route.request().url());
    return route.abort("blockedbyclient");
  });
  return {
    context,
    external,
    errors,
    async newPage(viewport = "desktop") {
      const page = await context.newPage();
      await page.setViewportSize(VIEWPORTS[viewport]);
      page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
      page.on("console", (m) => {
        // A failed load's text does not name the resource: its location does.
        if (m.type() === "error") errors.push(`console: ${m.text()}${m.location().url ? ` (${m.location().url})` : ""}`);
      });
      return page;
    },
    close: () => context.close(),
  };
}

/**
 * Connects dev account `index` of the local chain through the app's connect dialog. A page that
 * reconnects a remembered dev account on load (lib/wagmi.ts) is waited for first; another account
 * connected is disconnected.
 */
export async function connectDevAccount(page: Page, index: number): Promise<void> {
  const connected = page.getByTestId("connected-address");
  const connect = page.getByRole("button", { name: "Connect wallet" });
  await connected.or(connect).first().waitFor();
  // wagmi settles a reconnect within a moment of the first render.
  await page.waitForTimeout(300);
  if (await connected.isVisible()) {
    const remembered = await page.evaluate(() => window.localStorage.getItem("fomo.devAccount"));
    if (remembered === `dev-${index}`) return;
    await page.getByRole("button", { name: "Disconnect" }).click();
  }
  await connect.click();
  await page.locator(`[data-connector="dev-${index}"]`).click();
  await connected.waitFor();
}
