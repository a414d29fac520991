// The web app's benchmark: `npm run bench:web` (or `node bench/web.ts`) from the repo root.
// 1. Bundle: builds apps/web with Vite (its own vite.config.ts) into a temporary directory and reports,
//    gzipped, every chunk and the marketplace's initial JavaScript (the entry script and what
//    index.html preloads, plus the marketplace's lazy chunk and its static imports) against the
//    issue's 250 kB budget, and the build time.
// 2. Render: that build in Debian's chromium on a stand-in for the platform API (bench/web/fixture.ts:
//    generated offerings, not a chain) with 1,000 offerings beside a baseline of 10: time to the first
//    rows, rows rendered, long tasks (PerformanceObserver) while loading and while scrolling, and frame
//    times (requestAnimationFrame) during a steady scroll; medians of --runs runs, ratios 1,000 : 10.
// kB are 1,000 bytes (as Vite prints them); gzip at level 9. The machine's other load moves the render
// figures: compare the two columns of one run, not runs of different days.
//
//   --json      one JSON document on stdout (progress on stderr)
//   --runs N    page loads per offering count (default 3)
//   --check     exit 1 when the initial JavaScript is over budget
import { readdirSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { openBrowser, type Browser } from "@fomo/web/browser";
import { build } from "vite";
import { startFixtureServer } from "./web/fixture.ts";

const BUDGET_BYTES = 250_000;
/** The marketplace's lazy chunk, as the router imports it (apps/web/src/app.tsx). */
const MARKETPLACE_MODULE = "src/pages/marketplace/index.tsx";
/** An offering's row: every row links to the offering's page. */
const ROW = 'main a[href^="/offerings/"]';
const SCROLL_MS = 3_000;
const SCROLL_PX_PER_FRAME = 60;
const COUNTS = [10, 1_000] as const;

const { values: flags } = parseArgs({ options: { json: { type: "boolean" }, runs: { type: "string", default: "3" }, check: { type: "boolean" } } });
const runs = Number(flags.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 20) throw new Error("--runs: 1 to 20");
const progress = (line: string) => process.stderr.write(`[bench:web] ${line}\n`);

const WEB = dirname(createRequire(import.meta.url).resolve("@fomo/web/package.json"));

interface ManifestChunk {
  file: string;
  imports?: string[];
  isEntry?: boolean;
}

interface Chunk {
  file: string;
  bytes: number;
  gzip: number;
  initial: boolean;
}

async function bundle(outDir: string): Promise<{ buildMs: number; chunks: Chunk[]; initialGzip: number }> {
  progress(`building ${WEB} with Vite into ${outDir}`);
  const started = performance.now();
  await build({ root: WEB, logLevel: "warn", build: { outDir, emptyOutDir: true, manifest: true } });
  const buildMs = performance.now() - started;

  const manifest = JSON.parse(readFileSync(join(outDir, ".vite/manifest.json"), "utf8")) as Record<string, ManifestChunk>;
  const html = readFileSync(join(outDir, "index.html"), "utf8");
  // What index.html loads before anything renders: its module script and its modulepreloads.
  const initial = new Set([...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/([^"]+\.js)"/g)].map((m) => m[1]!));
  const addWithImports = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || (initial.has(chunk.file) && key !== MARKETPLACE_MODULE)) return;
    initial.add(chunk.file);
    for (const imported of chunk.imports ?? []) addWithImports(imported);
  };
  if (!manifest[MARKETPLACE_MODULE]) throw new Error(`${MARKETPLACE_MODULE} is not a chunk of the build: did the router stop lazy-loading it?`);
  addWithImports(MARKETPLACE_MODULE);

  const chunks = readdirSync(join(outDir, "assets"))
    .filter((f) => f.endsWith(".js") || f.endsWith(".css"))
    .map((f) => {
      const bytes = readFileSync(join(outDir, "assets", f));
      return { file: `assets/${f}`, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, initial: initial.has(`assets/${f}`) };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const initialGzip = chunks.filter((c) => c.initial && c.file.endsWith(".js")).reduce((n, c) => n + c.gzip, 0);
  return { buildMs, chunks, initialGzip };
}

interface PageRun {
  firstRowMs: number;
  rows: number;
  loadLongTasks: { count: number; totalMs: number };
  scrollLongTasks: { count: number; totalMs: number };
  frames: number[];
}

declare global {
  interface Window {
    __bench: { firstRowAt: number | null; longTasks: Array<{ start: number; duration: number }> };
  }
}

/** Set before the app's scripts: long tasks from the start, and the moment the first row is in the DOM. */
function instrument(row: string): void {
  window.__bench = { firstRowAt: null, longTasks: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: "longtask", buffered: true });
  const watch = new MutationObserver(() => {
    if (document.querySelector(row)) {
      window.__bench.firstRowAt = performance.now();
      watch.disconnect();
    }
  });
  // The document itself: its root element does not exist yet when this runs.
  watch.observe(document, { childList: true, subtree: true });
}

/** Scrolls the page down at a steady speed for `ms`, timing every frame; returns the frame times and the long tasks meanwhile. */
function scroll([ms, step]: [number, number]): Promise<{ frames: number[]; longTasks: Array<{ start: number; duration: number }> }> {
  const from = performance.now();
  const frames: number[] = [];
  return new Promise((resolve) => {
    let last = from;
    const tick = (now: number) => {
      frames.push(now - last);
      last = now;
      if (now - from >= ms) {
        resolve({ frames: frames.slice(1), longTasks: window.__bench.longTasks.filter((t) => t.start >= from) });
        return;
      }
      document.scrollingElement!.scrollTop += step;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function loadAndScroll(browser: Browser, url: string): Promise<PageRun> {
  const page = await browser.newPage("desktop");
  try {
    await page.addInitScript(instrument, ROW);
    await page.goto(url);
    await page.locator(ROW).first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => {});
    const loaded = await page.evaluate(() => ({ firstRowAt: window.__bench.firstRowAt!, longTasks: window.__bench.longTasks }));
    const rows = await page.locator(ROW).evaluateAll((links) => new Set(links.map((a) => a.getAttribute("href"))).size);
    const scrolled = await page.evaluate(scroll, [SCROLL_MS, SCROLL_PX_PER_FRAME] as [number, number]);
    const sum = (tasks: Array<{ duration: number }>) => ({ count: tasks.length, totalMs: tasks.reduce((n, t) => n + t.duration, 0) });
    return { firstRowMs: loaded.firstRowAt, rows, loadLongTasks: sum(loaded.longTasks), scrollLongTasks: sum(scrolled.longTasks), frames: scrolled.frames };
  } finally {
    await page.close();
  }
}

const median = (xs: number[]) => percentile(xs, 50);
function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return 0;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface RenderFigures {
  offerings: number;
  firstRowMs: number;
  rows: number;
  loadLongTasks: number;
  loadLongTaskMs: number;
  scrollLongTasks: number;
  scrollLongTaskMs: number;
  frameP50: number;
  frameP95: number;
  frameP99: number;
  frameMax: number;
  /** Frames longer than 50 ms (three refreshes missed at 60 Hz). */
  slowFrames: number;
  frames: number;
}

async function render(dist: string, browser: Browser, offerings: number): Promise<RenderFigures> {
  const server = await startFixtureServer(dist, offerings);
  try {
    const results: PageRun[] = [];
    for (let i = 0; i < runs; i++) {
      results.push(await loadAndScroll(browser, `${server.url}/`));
      progress(`${offerings} offerings, run ${i + 1}/${runs}: first rows at ${results.at(-1)!.firstRowMs.toFixed(0)} ms`);
    }
    const frames = results.flatMap((r) => r.frames);
    return {
      offerings,
      firstRowMs: median(results.map((r) => r.firstRowMs)),
      rows: median(results.map((r) => r.rows)),
      loadLongTasks: median(results.map((r) => r.loadLongTasks.count)),
      loadLongTaskMs: median(results.map((r) => r.loadLongTasks.totalMs)),
      scrollLongTasks: median(results.map((r) => r.scrollLongTasks.count)),
      scrollLongTaskMs: median(results.map((r) => r.scrollLongTasks.totalMs)),
      frameP50: percentile(frames, 50),
      frameP95: percentile(frames, 95),
      frameP99: percentile(frames, 99),
      frameMax: Math.max(0, ...frames),
      slowFrames: frames.filter((f) => f > 50).length,
      frames: frames.length,
    };
  } finally {
    await server.close();
  }
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1);
const ms = (x: number) => x.toFixed(1);

const outDir = mkdtempSync(join(tmpdir(), "fomo-bench-web-"));
try {
  const { buildMs, chunks, initialGzip } = await bundle(outDir);
  const browser = await openBrowser();
  let figures: RenderFigures[];
  try {
    figures = [];
    for (const count of COUNTS) figures.push(await render(outDir, browser, count));
  } finally {
    await browser.close();
  }
  const external = browser.external;
  const [small, large] = figures as [RenderFigures, RenderFigures];
  const within = initialGzip <= BUDGET_BYTES;

  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ buildMs, budgetBytes: BUDGET_BYTES, initialGzipBytes: initialGzip, chunks, render: figures, external }, null, 2)}\n`);
  } else {
    const lines = [
      `web app build: ${(buildMs / 1000).toFixed(1)} s (Vite, ${chunks.length} JS/CSS files)`,
      "",
      "chunk                                   raw kB  gzip kB  initial",
      ...chunks.map((c) => `${c.file.padEnd(38)} ${kB(c.bytes).padStart(7)} ${kB(c.gzip).padStart(8)}  ${c.initial ? "yes" : ""}`),
      "",
      `initial JavaScript of the marketplace (entry, preloads, marketplace chunk and its imports), gzipped: ${kB(initialGzip)} kB of ${kB(BUDGET_BYTES)} kB: ${within ? "within budget" : "OVER BUDGET"}`,
      "",
      `render in chromium (fixture API, desktop 1366 px, median of ${runs} loads; frames over ${SCROLL_MS / 1000} s of scrolling each):`,
      `                                   ${String(small.offerings).padStart(8)} ${String(large.offerings).padStart(8)}   ratio`,
      ...([
        ["first rows (ms after navigation)", small.firstRowMs, large.firstRowMs],
        ["rows in the DOM", small.rows, large.rows],
        ["long tasks while loading", small.loadLongTasks, large.loadLongTasks],
        ["  their total (ms)", small.loadLongTaskMs, large.loadLongTaskMs],
        ["long tasks while scrolling", small.scrollLongTasks, large.scrollLongTasks],
        ["  their total (ms)", small.scrollLongTaskMs, large.scrollLongTaskMs],
        ["frame p50 (ms)", small.frameP50, large.frameP50],
        ["frame p95 (ms)", small.frameP95, large.frameP95],
        ["frame p99 (ms)", small.frameP99, large.frameP99],
        ["frame max (ms)", small.frameMax, large.frameMax],
        ["frames over 50 ms", small.slowFrames, large.slowFrames],
        ["frames", small.frames, large.frames],
      ] as Array<[string, number, number]>).map(([label, a, b]) => `${label.padEnd(34)} ${ms(a).padStart(8)} ${ms(b).padStart(8)}   ${a > 0 ? `${(b / a).toFixed(2)}x` : "-"}`),
      "",
      external.length ? `external requests (aborted): ${external.join(", ")}` : "no external request",
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
  if (flags.check && !within) process.exitCode = 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
