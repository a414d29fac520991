// A quick look at a page while building it: `node apps/web/e2e/shot.ts URL OUT_PREFIX [--dev N]`
// writes OUT_PREFIX-desktop.png and OUT_PREFIX-phone.png (full page), connecting dev account N first
// when asked, and prints the page's errors and any external request.
import { connectDevAccount, openBrowser, VIEWPORTS } from "./browser.ts";

const [url, out, ...rest] = process.argv.slice(2);
if (!url || !out) {
  console.error("usage: node apps/web/e2e/shot.ts URL OUT_PREFIX [--dev N] [--wait MS]");
  process.exit(2);
}
const flag = (name: string) => {
  const i = rest.indexOf(name);
  return i >= 0 ? rest[i + 1] : undefined;
};
const browser = await openBrowser();
try {
  for (const viewport of Object.keys(VIEWPORTS) as Array<keyof typeof VIEWPORTS>) {
    const page = await browser.newPage(viewport);
    await page.goto(url);
    const dev = flag("--dev");
    if (dev !== undefined) await connectDevAccount(page, Number(dev));
    await page.waitForTimeout(Number(flag("--wait") ?? 1500));
    await page.screenshot({ path: `${out}-${viewport}.png`, fullPage: true });
    await page.close();
  }
} finally {
  await browser.close();
}
for (const e of browser.errors) console.error(e);
for (const e of browser.external) console.error(`external request: ${e}`);
console.log(`${out}-desktop.png ${out}-phone.png`);
