// The SDK outside the repository (issue 17 item 1): `npm pack` of the built SDK (scripts/pack.ts:
// ESM JavaScript and declarations in dist/), installed from the tarball into a fresh project outside
// the repository (its dependencies, viem included, from the npm registry), then a plain JavaScript
// script there — on Node 20 when one is on the PATH, as an integrator's may be — reads the local
// chain and quotes a buy with the SDK's curve math. Its answers must be the in-repo sources' answers
// on the same chain; and a TypeScript file there typechecks against the shipped declarations.
import assert from "node:assert/strict";
import { execFile as execFileCb, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, it } from "node:test";
import { createPublicClient, erc20Abi, http } from "viem";
import { startChain, type TestChain } from "@fomo/testkit/chain";
import { defaultCatalog, FLOCK, listTemplates, quoteBuy, termsCurve } from "../src/index.ts";
import { packSdk } from "../scripts/pack.ts";

const execFile = promisify(execFileCb);
const REPO_ROOT = resolve(import.meta.dirname, "../../..");

/** A Node 20 on the PATH (what an integrator may run), else this one. */
function integratorNode(): { path: string; version: string } {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "node");
    if (!dir || !existsSync(candidate)) continue;
    try {
      const version = execFileSync(candidate, ["--version"], { encoding: "utf8" }).trim();
      if (version.startsWith("v20.")) return { path: candidate, version };
    } catch {
      // not runnable: try the next one
    }
  }
  return { path: process.execPath, version: process.version };
}

/** What the integrator's script prints: plain JavaScript, the SDK's public entry points only. */
const CONSUMER = `
import { createPublicClient, http } from "viem";
import { erc20Abi, FLOCK, listTemplates, parseDeployments, quoteBuy, termsCurve } from "@fomo/sdk";
import { parseUsd } from "@fomo/sdk/money";

const deployments = parseDeployments(process.env.FOMO_DEPLOYMENTS);
const client = createPublicClient({ transport: http(process.env.FOMO_RPC_URL) });
const templates = await listTemplates(client, deployments);
const { sale, allocation } = templates[0].terms;
const curve = { ...termsCurve(sale, allocation), feeBps: sale.feeBps, raised: 0n, raiseMax: sale.raiseMax };
const quote = quoteBuy(curve, 1000n * FLOCK, sale.feeBps);
const usdcDecimals = await client.readContract({ address: deployments.contracts.usdc, abi: erc20Abi, functionName: "decimals" });
const json = (value) => JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v));
process.stdout.write(json({ node: process.version, templates: templates.map((t) => t.baseModelId), quote, usdcDecimals, credits: parseUsd("1.5") }));
`;

/** Checked by tsc against the tarball's declarations: a right call passes, a wrong one must not. */
const TYPED = `
import { FLOCK, quoteBuy, type BuyQuote, type CurveState } from "@fomo/sdk";
import { formatMicroUsd } from "@fomo/sdk/money";
declare const curve: CurveState;
export const quote: BuyQuote = quoteBuy(curve, 1000n * FLOCK, 100);
export const usd: string = formatMicroUsd(quote.fee);
// @ts-expect-error the amount is a bigint of wei, never a float
quoteBuy(curve, 1000.5, 100);
`;

describe("the SDK as an npm tarball", { timeout: 600_000 }, () => {
  let chain: TestChain;
  let dir: string;
  let project: string;
  let tarball: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fomo-sdk-tarball-"));
    chain = await startChain();
    tarball = packSdk(dir);
    project = join(dir, "integrator");
    execFileSync("mkdir", [project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "integrator", private: true, type: "module", dependencies: { "@fomo/sdk": `file:${tarball}` } }));
    // Outside the repository: the tarball and the npm registry are all it installs from.
    // Without the npm_* variables an `npm test` in the repository would pass down (its prefix, workspaces).
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")));
    await execFile("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { cwd: project, env });
  });
  after(async () => {
    await chain?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("ships the built JavaScript and its declarations, not the TypeScript sources", async () => {
    const { stdout } = await execFile("tar", ["-tzf", tarball]);
    const files = stdout.trim().split("\n");
    for (const file of ["package/dist/index.js", "package/dist/index.d.ts", "package/dist/node.js", "package/dist/money.js", "package/package.json", "package/README.md"]) {
      assert.ok(files.includes(file), `${file} is in the tarball`);
    }
    assert.deepEqual(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")), [], "no TypeScript source");
  });

  it("quotes and reads the local chain from plain JavaScript, as the sources do", async () => {
    const node = integratorNode();
    const { stdout } = await execFile(node.path, [join(project, "consumer.mjs")].map((p) => (writeFileSync(p, CONSUMER), p)), {
      cwd: project,
      env: { ...process.env, FOMO_DEPLOYMENTS: JSON.stringify(chain.d), FOMO_RPC_URL: chain.url },
    });
    const printed = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(printed.node, node.version);

    // The same questions through the repository's sources, on the same chain.
    const client = createPublicClient({ transport: http(chain.url) });
    const templates = await listTemplates(client, chain.d);
    const { sale, allocation } = templates[0]!.terms;
    const quote = quoteBuy({ ...termsCurve(sale, allocation), feeBps: sale.feeBps, raised: 0n, raiseMax: sale.raiseMax }, 1000n * FLOCK, sale.feeBps);
    const usdcDecimals = await client.readContract({ address: chain.d.contracts.usdc, abi: erc20Abi, functionName: "decimals" });
    assert.deepEqual(printed, {
      node: node.version,
      templates: defaultCatalog.map((t) => t.baseModelId),
      quote: JSON.parse(JSON.stringify(quote, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v))),
      usdcDecimals,
      credits: "1500000",
    });
    assert.ok(quote.mtOut > 0n);
  });

  it("typechecks an integrator's TypeScript against the shipped declarations", async () => {
    writeFileSync(join(project, "typed.ts"), TYPED);
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", target: "es2022", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["typed.ts"] }),
    );
    await execFile(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", join(project, "tsconfig.json")], { cwd: project });
  });
});
