// `fomo build` (and so `fomo up` and `fomo test`) rebuilds the web app only when something it is built
// from is newer than apps/web/dist: a source, the SDK it bundles, the lockfile; not a test or an e2e file.
// The build's own steps must not make it look newer: the ABI export leaves unchanged ABIs alone.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { webBuildReason } from "../src/commands/build.ts";
import { CONTRACTS, ROOT } from "../src/paths.ts";

const root = mkdtempSync(join(tmpdir(), "fomo-web-build-"));
after(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, secondsAgo: number): string {
  const full = join(root, path);
  mkdirSync(join(full, ".."), { recursive: true });
  writeFileSync(full, path);
  const at = Date.now() / 1000 - secondsAgo;
  utimesSync(full, at, at);
  return full;
}

it("builds when there is no build, or when a source, a bundled package or the lockfile is newer than it", () => {
  const web = join(root, "web");
  const sdk = join(root, "sdk");
  const lock = file("package-lock.json", 500);
  const inputs = [web, sdk, lock];
  const dist = join(web, "dist");
  file("web/src/app.tsx", 400);
  file("sdk/index.ts", 400);
  assert.equal(webBuildReason(inputs, dist), "no build yet");

  file("web/dist/index.html", 300);
  assert.equal(webBuildReason(inputs, dist), undefined, "the build is newer than everything");

  // Not bundled: a component test, the browser tests and their screenshots.
  file("web/src/app.test.tsx", 10);
  file("web/e2e/journey.test.ts", 10);
  file("web/e2e/artifacts/marketplace-phone.png", 10);
  assert.equal(webBuildReason(inputs, dist), undefined, "tests and e2e files do not call for a build");

  file("sdk/generated/abis.ts", 100);
  assert.match(webBuildReason(inputs, dist)!, /sdk\/generated\/abis\.ts changed$/);
  file("web/dist/index.html", 50);
  assert.equal(webBuildReason(inputs, dist), undefined);
  file("package-lock.json", 20);
  assert.match(webBuildReason(inputs, dist)!, /package-lock\.json changed$/);
  file("web/dist/index.html", 0);
  file("web/src/pages/marketplace/index.tsx", -5);
  assert.match(webBuildReason(inputs, dist)!, /web\/src\/pages\/marketplace\/index\.tsx changed$/);
});

it("exports the SDK's ABIs without touching the file when they have not changed, so the next build skips the web app", () => {
  const exportAbis = () => execFileSync(process.execPath, [join(CONTRACTS, "scripts/export-abis.ts")], { encoding: "utf8" });
  const generated = join(ROOT, "packages/sdk/src/generated/abis.ts");
  exportAbis(); // as the build leaves it (the contracts are compiled before the package tests run)
  const before = statSync(generated).mtimeMs;
  assert.match(exportAbis(), /ABIs unchanged/);
  assert.equal(statSync(generated).mtimeMs, before);
});

