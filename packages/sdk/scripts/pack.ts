// `npm run pack -w @fomo/sdk [-- DEST_DIR]`: the SDK as an npm tarball of ESM JavaScript with type
// declarations, for projects outside this repository (any Node ≥ 20, any bundler).
//
// Inside the repository every package imports the SDK's TypeScript sources (package.json `exports`
// point at src/: Node 24 strips the types, tsc reads them; no build step between an edit and a
// test). The tarball cannot ship those: Node refuses to strip types under node_modules and Node 20
// cannot at all. So this script compiles src/ to dist/ (tsconfig.build.json), stages a copy of the
// package whose manifest points every `exports` entry at dist/ (`types` first, then `import` and
// `default`), and runs `npm pack` there. The package.json in the repository is never rewritten, so
// nothing running in the repository meanwhile can resolve a half-written manifest.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const SDK = resolve(import.meta.dirname, "..");
const REPO_ROOT = resolve(SDK, "../..");

type Manifest = Record<string, unknown> & { exports: Record<string, string> };

/** The published manifest: every `./src/X.ts` export as `./dist/X.js` with its `./dist/X.d.ts`, and no workspace-only fields. */
export function publishedManifest(manifest: Manifest): Record<string, unknown> {
  const exports: Record<string, { types: string; import: string; default: string }> = {};
  for (const [subpath, target] of Object.entries(manifest.exports)) {
    const source = /^\.\/src\/(.+)\.ts$/.exec(target);
    if (!source) throw new Error(`package.json exports ${subpath}: expected ./src/<file>.ts, got ${target}`);
    const js = `./dist/${source[1]}.js`;
    exports[subpath] = { types: `./dist/${source[1]}.d.ts`, import: js, default: js };
  }
  const { devDependencies: _dev, scripts: _scripts, private: _private, exports: _exports, ...rest } = manifest;
  return { ...rest, main: exports["."]!.import, types: exports["."]!.types, exports };
}

/** src/ compiled to dist/ (JavaScript, declarations, source maps). */
export function buildSdk(): void {
  rmSync(join(SDK, "dist"), { recursive: true, force: true });
  execFileSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", join(SDK, "tsconfig.build.json")], { stdio: "inherit" });
}

/** Builds, stages and packs the SDK into `destination`; returns the tarball's path. */
export function packSdk(destination: string): string {
  buildSdk();
  const stage = mkdtempSync(join(tmpdir(), "fomo-sdk-pack-"));
  try {
    const manifest = JSON.parse(readFileSync(join(SDK, "package.json"), "utf8")) as Manifest;
    writeFileSync(join(stage, "package.json"), `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`);
    cpSync(join(SDK, "dist"), join(stage, "dist"), { recursive: true });
    cpSync(join(REPO_ROOT, "docs/sdk.md"), join(stage, "README.md"));
    const packed = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--pack-destination", resolve(destination)], {
        cwd: stage,
        // Not the workspace settings `npm run -w @fomo/sdk` hands its script: the stage is a package of its own.
        env: Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_"))),
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      }),
    ) as [{ filename: string }];
    return join(resolve(destination), packed[0].filename);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.main) process.stdout.write(`${packSdk(process.argv[2] ?? process.cwd())}\n`);
