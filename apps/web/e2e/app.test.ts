// The web app in Debian's chromium against a `fomo up --demo` of its own (one stack for the file: it
// boots once). First a screenshot of every page at phone and desktop width, on the demo as seeded
// (a raising offering still raising); then the journey a user makes through the pages: launch → buy →
// (time passes) → graduate → claim → stake → sign in → create a key → call the API with the official
// openai client and that key → see the usage → (epochs settle) → claim rewards. Time moves and epochs
// settle with the CLI, as in the README's journey. Every request to anywhere but this machine is
// aborted and recorded (browser.ts): none may happen, and no page may throw.
import assert from "node:assert/strict";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { defaultCatalog, modelIdOf } from "@fomo/sdk";
import { describeRequiring } from "@fomo/testkit/requires";
import { BOOT_TIMEOUT_MS } from "@fomo/testkit/up";
import OpenAI from "openai";
import type { Page } from "playwright-core";
import { CHROMIUM, connectDevAccount, openBrowser, VIEWPORTS, type Browser } from "./browser.ts";
import { DEMO_TICKERS, settleUntilClaimable, startWebStack, type Rewards, type WebStack } from "./stack.ts";
import { createApiKey, depositUsdc, signIn, usageShows } from "./steps/console.ts";
import { launchOffering, openMarketplace } from "./steps/launch.ts";
import { modelSnippet, stakeOnModel } from "./steps/model.ts";
import { buyOnOffering, claimOffering, graduateOffering } from "./steps/offering.ts";
import { claimAllRewards, portfolioPosition } from "./steps/portfolio.ts";

/** Where the screenshots go: apps/web/e2e/artifacts (git-ignored) unless FOMO_ARTIFACTS_DIR says otherwise. */
const ARTIFACTS = process.env.FOMO_ARTIFACTS_DIR ?? fileURLToPath(new URL("./artifacts/", import.meta.url));

/** Dev accounts' roles on the local chain (`fomo up`'s banner): 1 issues, 2 and up support. */
const ISSUER = 1;
const SUPPORTER = 2;
/** The journey's offering, on template 0: the local model the gateway serves. */
const TICKER = "JRNY";
const TEMPLATE = 0;

/** Loading states, the only "…"-ending status the app shows (components/states.tsx). */
const loading = (page: Page) => page.getByRole("status").filter({ hasText: /…$/ });

/** Opens `path` as the app's own links do (history and popstate, which its router follows), keeping the page's wallet. */
async function openInApp(page: Page, path: string): Promise<void> {
  await page.evaluate((to) => {
    window.history.pushState(null, "", to);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

/** Waits until the page has its title and no loading state left (data in, or an empty or error state shown). */
async function settle(page: Page): Promise<void> {
  await page.getByRole("heading", { level: 1 }).first().waitFor({ timeout: 30_000 });
  await page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => {}); // live pages poll: not fatal
  const until = Date.now() + 30_000;
  while ((await loading(page).count()) > 0 && Date.now() < until) await page.waitForTimeout(200);
}

/**
 * What the browser saw that the app must not do: a request off this machine, an uncaught error, a
 * console error. One answer of the platform is asked for knowing it may be no, and chromium logs it
 * as a failed load: 404 from an offering or token the indexer has not brought in yet (a page opened
 * right after its launch). (Whether it is signed in the console asks GET /auth/session, which answers
 * 200 either way: a 401 is a fault.)
 */
const EXPECTED = [
  /^console: Failed to load resource: the server responded with a status of 404 \(Not Found\) \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/(?:offerings|tokens)\/[^/?]+\)$/,
];
function faults(browser: Browser): { external: string[]; errors: string[] } {
  return { external: [...browser.external], errors: browser.errors.filter((e) => !EXPECTED.some((re) => re.test(e))) };
}

/** Timings of the journey's steps, printed at its end (docs/web.md quotes them). */
const timings: Array<[string, number]> = [];
async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await run();
  } finally {
    timings.push([label, Date.now() - started]);
  }
}

const missingChromium = existsSync(CHROMIUM) ? undefined : `no chromium at ${CHROMIUM} (scripts/ci-chromium.sh installs Debian's; FOMO_CHROMIUM points elsewhere)`;

describeRequiring("the web app in chromium against fomo up --demo", "browser", missingChromium, () => {
  let stack: WebStack;
  let browser: Browser;

  before(async () => {
    stack = await timed("fomo up --demo (build, chain, demo seed)", startWebStack);
    browser = await openBrowser();
  }, { timeout: BOOT_TIMEOUT_MS + 60_000 });

  after(async () => {
    await browser?.close();
    await stack?.stop();
    if (timings.length > 0) {
      process.stderr.write(`[e2e] timings:\n${timings.map(([label, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`).join("\n")}\n`);
    }
  });

  describe("every page at phone and desktop width", { timeout: 600_000 }, () => {
    // A connected dev account lives in the page's memory only (the mock connector does not reconnect
    // after a reload): those pages are reached inside the app once connected.
    const pages: Array<{ name: string; path: string; prepare?: (page: Page) => Promise<void> }> = [
      { name: "marketplace", path: "/" },
      { name: "launch", path: "/launch" },
      { name: "offering", path: `/offerings/${DEMO_TICKERS.raising}` },
      { name: "model", path: `/models/${DEMO_TICKERS.graduated}` },
      {
        name: "portfolio",
        path: "/portfolio",
        prepare: async (page) => {
          await connectDevAccount(page, SUPPORTER);
          await openInApp(page, "/portfolio");
        },
      },
      {
        name: "console",
        path: "/console",
        prepare: async (page) => {
          await connectDevAccount(page, SUPPORTER);
          await signIn(page, stack.baseUrl);
        },
      },
      { name: "simulator", path: "/simulator" },
    ];

    before(() => mkdirSync(ARTIFACTS, { recursive: true }));

    for (const { name, path, prepare } of pages) {
      for (const viewport of Object.keys(VIEWPORTS) as Array<keyof typeof VIEWPORTS>) {
        it(`${name} (${path}) at ${VIEWPORTS[viewport].width} px`, async () => {
          const page = await browser.newPage(viewport);
          try {
            await timed(`screenshot ${name} ${viewport}`, async () => {
              await page.goto(`${stack.baseUrl}${prepare ? "/" : path}`);
              await settle(page);
              if (prepare) {
                await prepare(page);
                await settle(page);
              }
              await page.screenshot({ path: join(ARTIFACTS, `${name}-${viewport}.png`), fullPage: true });
            });
            // Responsive: wide content (tables, code) scrolls inside its own box, never the page sideways.
            const width = await page.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(width <= VIEWPORTS[viewport].width, `${name} is ${width} px wide at ${VIEWPORTS[viewport].width} px`);
          } finally {
            await page.close();
          }
          assert.deepEqual(faults(browser), { external: [], errors: [] });
        });
      }
    }
  });

  describe("the journey: launch, buy, graduate, claim, stake, sign in, key, API call, usage, epoch, rewards", { timeout: 1_200_000 }, () => {
    it("runs in the browser, with time and epochs moved by the CLI", async () => {
      // A new visitor: no session left from the screenshots' sign-in.
      await browser.context.clearCookies();
      const page = await browser.newPage("desktop");
      try {
        await journey(page);
      } catch (error) {
        // Where it stopped, for whoever reads the failure (CI keeps the artifacts directory).
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: join(ARTIFACTS, "journey-failure.png"), fullPage: true }).catch(() => {});
        throw new Error(`${(error as Error).message}\nthe page: ${page.url()}; the browser saw: ${JSON.stringify(faults(browser), null, 2)}`, { cause: error });
      } finally {
        await page.close();
      }
      assert.deepEqual(faults(browser), { external: [], errors: [] });
    });

    async function journey(page: Page): Promise<void> {
      const { baseUrl } = stack;

      await timed("issuer launches (browser)", async () => {
        await openMarketplace(page, baseUrl);
        await connectDevAccount(page, ISSUER);
        await launchOffering(page, baseUrl, { name: "Journey Model", ticker: TICKER });
      });
      // Past the anti-snipe surcharge, as the README's journey waits before buying.
      await timed("fomo dev advance 2h", () => stack.fomo("dev", "advance", "2h"));
      await timed("supporter buys (browser)", async () => {
        await connectDevAccount(page, SUPPORTER);
        await buyOnOffering(page, baseUrl, TICKER, "300000");
      });
      const bought = await timed("the position shows in the portfolio (browser)", () => portfolioPosition(page, baseUrl, TICKER));
      assert.equal(bought.state, "raising", `the ${TICKER} position: ${JSON.stringify(bought)}`);
      assert.match(bought.figures["$MT owed"] ?? "", new RegExp(`^[1-9].* ${TICKER}$`), `$MT owed: ${JSON.stringify(bought.figures)}`);
      await timed("fomo dev advance 7d", () => stack.fomo("dev", "advance", "7d"));
      await timed("graduate, claim, stake (browser)", async () => {
        await graduateOffering(page, baseUrl, TICKER);
        await claimOffering(page, baseUrl, TICKER);
        await stakeOnModel(page, baseUrl, TICKER, "1000");
      });
      const onChain = await stack.fomoJson<{ state: string }>("offering", TICKER);
      assert.equal(onChain.state, "Graduated", "the chain agrees with what the pages did");

      const secret = await timed("sign in, create a key, deposit 5 USDC of credits (browser)", async () => {
        await signIn(page, baseUrl);
        const key = await createApiKey(page, baseUrl, "journey");
        // A new account has no credits: the gateway refuses its keys until it has some.
        await depositUsdc(page, baseUrl, "5");
        return key;
      });
      assert.match(secret, /^sk-fomo-/, "the key is shown once, in full");

      const { model } = await modelSnippet(page, baseUrl, TICKER);
      assert.equal(model, modelIdOf(defaultCatalog[TEMPLATE]!.baseModelId, TICKER), "the model page shows the id the gateway serves");
      const reply = await timed("API call (openai client, the browser's key)", () =>
        new OpenAI({ baseURL: stack.file.gatewayUrl, apiKey: secret }).chat.completions.create({
          model,
          messages: [{ role: "user", content: "Once upon a time" }],
          max_tokens: 16,
        }),
      );
      assert.ok(reply.choices[0]?.message.content, "the model answered");
      const requests = await timed("usage shows (browser)", () => usageShows(page, baseUrl, model));
      assert.ok(requests >= 1, `the console counts the call: ${requests}`);

      await timed("epochs settle until rewards are claimable (CLI)", () => settleUntilClaimable(stack, SUPPORTER));
      // The console's usage reloads the page, which drops a dev account's connection (it lives in the page).
      await connectDevAccount(page, SUPPORTER);
      const paid = await timed("claim rewards (browser)", () => claimAllRewards(page, baseUrl));
      assert.ok(paid.length > 0, "the page says what was paid");
      const left = await stack.fomoJson<Rewards>("rewards", "--from", String(SUPPORTER));
      assert.ok(left.tokens.some((t) => BigInt(t.claimed) > 0n), "rewards were claimed on chain");
      assert.deepEqual(left.tokens.filter((t) => BigInt(t.claimable) > 0n).map((t) => t.symbol), [], "nothing is left to claim");

    }
  });
});
