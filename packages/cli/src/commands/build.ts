// `fomo build`: regenerate the Solidity tests' default terms from the SDK, compile the contracts
// offline, regenerate the SDK's typed ABIs, then build the web app (apps/web/dist, which the platform
// serves) with Vite unless its build is newer than everything it is built from.
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { BIN, CONTRACTS, ROOT, WEB, WEB_DIST } from "../paths.ts";
import { dropWarnings, step } from "../proc.ts";

/**
 * solc's warning on every `tstore`, which OpenZeppelin's TransientSlot (behind ReentrancyGuardTransient)
 * triggers on every build: its transient slots are cleared within the call, the use solc calls safe.
 * Printed each time it would drown any new warning; other warnings still show.
 */
export const TRANSIENT_STORAGE_WARNING = /^Warning: Transient storage as defined by EIP-1153 can break the composability/;
/** Where it must come from to be hidden: OpenZeppelin's code, not ours. */
export const OPENZEPPELIN_SOURCE = /^\s*-->\s.*node_modules\/@openzeppelin\/contracts\//;

export async function build(): Promise<number> {
  const terms = await step("writing the SDK's default terms for the Solidity tests", process.execPath, [
    join(CONTRACTS, "test/solidity/utils/default-terms.ts"),
  ]);
  if (terms.code !== 0) return terms.code;
  let hidden = 0;
  const compiled = await step("compiling contracts (solc from npm, offline)", join(BIN, "hardhat"), ["compile", "--quiet"], {
    cwd: CONTRACTS,
    filter: dropWarnings(TRANSIENT_STORAGE_WARNING, OPENZEPPELIN_SOURCE, () => hidden++),
  });
  if (hidden > 0) process.stderr.write(`[fomo] (${hidden} solc transient-storage warning${hidden > 1 ? "s" : ""} on OpenZeppelin's TransientSlot not shown: see build.ts)\n`);
  if (compiled.code !== 0) return compiled.code;
  const abis = await step("exporting ABIs to the SDK", process.execPath, [join(CONTRACTS, "scripts/export-abis.ts")]);
  if (abis.code !== 0) return abis.code;
  return buildWeb();
}

/**
 * What the web app's bundle is made of: its sources and config, the two packages it bundles (the SDK,
 * generated ABIs included, and the simulator) and the lockfile (a dependency's version). Tests and the
 * browser tests (e2e/) are not bundled: a change there needs no new build.
 */
export const WEB_INPUTS = [
  WEB,
  join(ROOT, "packages/sdk/src"),
  join(ROOT, "packages/sim/src"),
  join(ROOT, "package-lock.json"),
];
const NOT_BUNDLED = new Set(["node_modules", "dist", "e2e"]);

/** The newest modification time among `paths` (files, or every file under a directory), skipping what is not bundled. */
export function newestInput(paths: readonly string[]): { file: string; mtimeMs: number } | undefined {
  let newest: { file: string; mtimeMs: number } | undefined;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) {
        if (!NOT_BUNDLED.has(entry) && !entry.startsWith(".") && !/\.test\.tsx?$/.test(entry)) visit(join(path, entry));
      }
    } else if (!newest || stat.mtimeMs > newest.mtimeMs) {
      newest = { file: path, mtimeMs: stat.mtimeMs };
    }
  };
  paths.forEach(visit);
  return newest;
}

/** Why the web app must be built, or undefined when apps/web/dist is newer than every input. */
export function webBuildReason(inputs: readonly string[] = WEB_INPUTS, dist: string = WEB_DIST): string | undefined {
  const built = statSync(join(dist, "index.html"), { throwIfNoEntry: false });
  if (!built) return "no build yet";
  const newest = newestInput(inputs);
  return newest && newest.mtimeMs > built.mtimeMs ? `${relative(ROOT, newest.file)} changed` : undefined;
}

/** The web app with Vite into apps/web/dist, skipped when that build is up to date; one line with the time either way. */
export async function buildWeb(): Promise<number> {
  const reason = webBuildReason();
  const where = relative(ROOT, WEB_DIST);
  if (!reason) {
    process.stderr.write(`\n[fomo] web app up to date (${where} is newer than its sources and the lockfile)\n`);
    return 0;
  }
  const started = Date.now();
  // Vite's chunk table is bench:web's business (bench/web.ts); here only warnings and errors.
  const built = await step(`building the web app with Vite (${reason})`, join(BIN, "vite"), ["build", "--logLevel", "warn"], { cwd: WEB });
  if (built.code === 0 && existsSync(join(WEB_DIST, "index.html"))) {
    process.stderr.write(`[fomo] web app built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${where}\n`);
  }
  return built.code;
}
