// Browser steps of the simulator page for the end-to-end journey: by roles and labels only. The
// simulation runs in a Web Worker; a step waits for its "N runs of D days simulated in T ms" line.
import type { Page } from "playwright-core";

const TIMING = /(\d+) runs of (\d+) days simulated in (\d+) ms\./;

/** Opens /simulator on the app `page` is on and waits for the default scenario's simulation; its run time. */
export async function simulateDefault(page: Page): Promise<{ runs: number; days: number; ms: number }> {
  await page.goto(new URL("/simulator", page.url()).href);
  return await simulationDone(page);
}

/** Waits for the simulation of the current sliders to finish and its summary to show. */
export async function simulationDone(page: Page, timeout = 60_000): Promise<{ runs: number; days: number; ms: number }> {
  const status = page.getByText(TIMING);
  await status.waitFor({ timeout });
  await page.getByText("gross revenue", { exact: true }).first().waitFor({ timeout });
  const [, runs, days, ms] = TIMING.exec((await status.textContent()) ?? "")!;
  return { runs: Number(runs), days: Number(days), ms: Number(ms) };
}

/** Moves a slider with the keyboard (arrow keys, as a keyboard user would) and waits for the new simulation. */
export async function moveSlider(page: Page, label: string, steps: number): Promise<string> {
  const slider = page.getByLabel(label, { exact: true });
  await slider.focus();
  for (let i = 0; i < Math.abs(steps); i++) await slider.press(steps > 0 ? "ArrowRight" : "ArrowLeft");
  const value = (await slider.getAttribute("aria-valuetext")) ?? "";
  await page.getByText(/Simulating \d+ of \d+ runs/).waitFor({ state: "detached", timeout: 60_000 }).catch(() => undefined);
  await simulationDone(page);
  return value;
}

/** Fills the reward estimator's own fields; the FLOCK and $MT it then shows for the epoch. */
export async function estimateRewards(page: Page, you: { spendUsd: string; stakeMt: string; gm: string }): Promise<{ flock: string; mt: string }> {
  await page.getByLabel(/^Your inference spend/).fill(you.spendUsd);
  await page.getByLabel("Your stake ($MT)").fill(you.stakeMt);
  await page.getByLabel("Your gmFLOCK").fill(you.gm);
  const region = page.getByRole("region", { name: "You get this epoch" });
  const figure = (label: string) => region.getByText(label, { exact: true }).locator("xpath=following-sibling::dd[1]").textContent();
  return { flock: (await figure("FLOCK")) ?? "", mt: (await figure("$MT")) ?? "" };
}
