// The web app bundles `@fomo/sdk`: its main entry must build for the browser with no Node built-in
// reachable from it (file I/O belongs in `@fomo/sdk/node`). A stray `node:fs` import anywhere in the
// import graph, ours or a dependency's, fails here instead of in the web app's build.
import assert from "node:assert/strict";
import { builtinModules } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { build, type Metafile } from "esbuild";

const entry = fileURLToPath(new URL("../src/index.ts", import.meta.url));
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isNodeBuiltin = (path: string) => path.startsWith("node:") || nodeBuiltins.has(path) || nodeBuiltins.has(path.split("/")[0]!);

async function bundleForBrowser(): Promise<Metafile> {
  const result = await build({
    entryPoints: [entry],
    platform: "browser",
    bundle: true,
    write: false,
    format: "esm",
    metafile: true,
    logLevel: "silent",
  });
  return result.metafile;
}

describe("@fomo/sdk in a browser", () => {
  it("bundles the main entry for platform browser without a Node built-in", async () => {
    let metafile: Metafile;
    try {
      metafile = await bundleForBrowser();
    } catch (e) {
      // esbuild's message names the built-in and the file importing it
      const errors = (e as { errors?: { text: string; location: { file: string } | null }[] }).errors ?? [];
      assert.fail(`browser bundle failed: ${errors.map((x) => `${x.location?.file ?? "?"}: ${x.text}`).join("; ") || String(e)}`);
    }
    const builtinImports = Object.entries(metafile.inputs).flatMap(([file, input]) =>
      input.imports.filter((i) => isNodeBuiltin(i.path)).map((i) => `${file} imports ${i.path}`),
    );
    assert.deepEqual(builtinImports, []);
    assert.ok(Object.keys(metafile.inputs).some((file) => file.endsWith("packages/sdk/src/deployments.ts")), "the bundle covers the SDK's modules");
  });
});
