// Parsing the deployments file: a good one comes back checksummed, a bad one fails with a message
// that names the file and the field.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getAddress } from "viem";
import { parseDeployments, type Deployments } from "../src/index.ts";
import { readDeployments, writeDeployments } from "../src/node.ts";

const CONTRACTS = [
  "flock", "usdc", "weth", "uniswapV2Factory", "uniswapV2Router", "templateRegistry",
  "launchpad", "incentivePool", "modelTokenFactory", "operatorVestingImplementation",
  "mtStaking", "twapOracle", "buybackExecutor", "revenueRouter", "creditDeposits", "emissionSchedule",
  "rewardsDistributor", "gmFlock",
] as const;
const ROLES = ["admin", "treasury", "hostingReserve", "keeper", "emissionReserve"] as const;

/** Distinct lower-case (unchecksummed) addresses, one per field. */
const addr = (i: number) => `0x${(0xab00 + i).toString(16).padStart(4, "0").repeat(10)}`;

function sample(): { chainId: number; startBlock: string; usdcDecimals: unknown; contracts: Record<string, unknown>; roles: Record<string, unknown> } {
  return {
    chainId: 31337,
    startBlock: "7",
    usdcDecimals: 18,
    contracts: Object.fromEntries(CONTRACTS.map((k, i) => [k, addr(i)])),
    roles: Object.fromEntries(ROLES.map((k, i) => [k, addr(100 + i)])),
  };
}

describe("parseDeployments", () => {
  it("accepts a complete document and checksums every address", () => {
    const d = parseDeployments(JSON.stringify(sample()));
    assert.equal(d.chainId, 31337);
    assert.equal(d.startBlock, "7");
    CONTRACTS.forEach((k, i) => assert.equal(d.contracts[k], getAddress(addr(i))));
    ROLES.forEach((k, i) => assert.equal(d.roles[k], getAddress(addr(100 + i))));
  });

  it("keeps an optional timelock, checksummed", () => {
    const d = parseDeployments(JSON.stringify({ ...sample(), contracts: { ...sample().contracts, timelock: addr(50) } }));
    assert.equal(d.contracts.timelock, getAddress(addr(50)));
    assert.equal(parseDeployments(JSON.stringify(sample())).contracts.timelock, undefined);
  });

  it("defaults startBlock to 0 and stores it as a string", () => {
    const { startBlock: _, ...rest } = sample();
    assert.equal(parseDeployments(JSON.stringify(rest)).startBlock, "0");
    assert.equal(parseDeployments(JSON.stringify({ ...sample(), startBlock: 42 })).startBlock, "42");
  });

  it("rejects text that is not JSON, naming the source", () => {
    assert.throws(() => parseDeployments("{ nope", "deploy.json"), /^Error: deploy\.json: not JSON/);
    assert.throws(() => parseDeployments(""), /deployments: not JSON/);
  });

  it("rejects a missing or non-integer chainId", () => {
    const { chainId: _, ...rest } = sample();
    assert.throws(() => parseDeployments(JSON.stringify(rest)), /chainId missing/);
    assert.throws(() => parseDeployments(JSON.stringify({ ...sample(), chainId: "31337" })), /chainId missing/);
    assert.throws(() => parseDeployments(JSON.stringify({ ...sample(), chainId: 1.5 })), /chainId missing/);
  });

  it("carries the stablecoin's decimals, required and within the supported 6 to 18", () => {
    assert.equal(parseDeployments(JSON.stringify(sample())).usdcDecimals, 18);
    assert.equal(parseDeployments(JSON.stringify({ ...sample(), usdcDecimals: 6 })).usdcDecimals, 6);
    const { usdcDecimals: _, ...rest } = sample();
    assert.throws(() => parseDeployments(JSON.stringify(rest), "f.json"), /^Error: f\.json: usdcDecimals missing/);
    assert.throws(() => parseDeployments(JSON.stringify({ ...sample(), usdcDecimals: "6" })), /usdcDecimals missing/);
    for (const bad of [5, 19, 6.5, -6]) {
      assert.throws(() => parseDeployments(JSON.stringify({ ...sample(), usdcDecimals: bad })), /usdcDecimals: unsupported stablecoin decimals/);
    }
  });

  it("rejects a JSON document that is not an object, naming the file", () => {
    for (const doc of ["null", "[]", "42", '"x"']) {
      assert.throws(() => parseDeployments(doc, "f.json"), /^Error: f\.json: not a JSON object$/);
    }
  });

  it("names each missing contract or role", () => {
    for (const k of CONTRACTS) {
      const d = sample();
      delete d.contracts[k];
      assert.throws(() => parseDeployments(JSON.stringify(d), "f.json"), new RegExp(`^Error: f\\.json: contracts\\.${k} missing$`));
    }
    for (const k of ROLES) {
      const d = sample();
      delete d.roles[k];
      assert.throws(() => parseDeployments(JSON.stringify(d)), new RegExp(`roles\\.${k} missing$`));
    }
    const { contracts: _, ...noContracts } = sample();
    assert.throws(() => parseDeployments(JSON.stringify(noContracts)), /contracts\.flock missing/);
  });

  it("rejects malformed addresses", () => {
    const good = getAddress(addr(6));
    for (const bad of ["0x1234", "launchpad", `${good}00`, good.slice(2), "0xZZ" + good.slice(4)]) {
      const d = sample();
      d.contracts.launchpad = bad;
      assert.throws(() => parseDeployments(JSON.stringify(d)), { message: `deployments: contracts.launchpad is not an address: ${bad}` });
    }
    const d = sample();
    d.roles.treasury = 12345;
    assert.throws(() => parseDeployments(JSON.stringify(d)), /roles\.treasury missing/);
  });

  // EIP-55: a mixed-case address carries a checksum, and a wrong one means a typo. (viem's
  // getAddress alone re-checksums instead of checking.)
  it("rejects a mixed-case address with a wrong checksum", () => {
    const good = getAddress(addr(6));
    const i = [...good].findIndex((c, j) => j > 1 && /[a-f]/i.test(c));
    const c = good[i]!;
    const bad = good.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + good.slice(i + 1);
    const d = sample();
    d.contracts.launchpad = bad;
    assert.throws(() => parseDeployments(JSON.stringify(d)), { message: `deployments: contracts.launchpad is not an address: ${bad}` });
  });
});

describe("readDeployments / writeDeployments", () => {
  const dir = mkdtempSync(join(tmpdir(), "fomo-sdk-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("round-trips through a file, creating its directory", () => {
    const d: Deployments = parseDeployments(JSON.stringify(sample()));
    const path = join(dir, "nested", "local.json");
    writeDeployments(path, d);
    assert.deepEqual(readDeployments(path), d);
  });

  it("explains a missing file", () => {
    const path = join(dir, "absent.json");
    assert.throws(() => readDeployments(path), { message: new RegExp(`^no deployments file at ${path.replace(/[.]/g, "\\.")}`) });
  });

  it("names the file when its content is bad", () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, "{}");
    assert.throws(() => readDeployments(path), { message: `${path}: chainId missing` });
  });
});
