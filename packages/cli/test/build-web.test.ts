// `fomo build` (and so `fomo up` and `fomo test`) rebuilds the web app only when something it is built
// from is newer than apps/web/dist: a source, the SDK it bundles, the lockfile; not a test or an e2e file.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, it } from "node:test";
import { webBuildReason } from "../src/commands/build.ts";

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
