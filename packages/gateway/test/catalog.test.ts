// The catalogs without a chain: StaticCatalog, and DeploymentCatalog over an in-memory
// DeploymentSource (the interface the indexer will serve): what is listed and looked up, the reason
// a model is not served, the miss-refresh throttle, and a failing source that keeps the last known
// deployments. The backend is a stub that is never called (no request is served here). The
// on-chain reader is tested against a real node in chain.test.ts.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultCatalog } from "@fomo/sdk";
import { StaticCatalog, type CatalogLookup } from "../src/catalog/index.ts";
import type { Backend } from "../src/backends/types.ts";
import { DeploymentCatalog, type Deployment, type DeploymentSource } from "../src/chain/index.ts";
import { TEST_PRICING } from "@fomo/testkit/pricing";

const BASE = "stories-260k";
const backend = (ids: string[]): Backend => ({
  name: "stub",
  models: ids.map((id) => ({ id, contextLength: 512, maxOutputTokens: 512 })),
  countPromptTokens: () => assert.fail("not called"),
  complete: () => assert.fail("not called"),
  stream: () => assert.fail("not called"),
  close: async () => {},
});

const deployment = (ticker: string, state: Deployment["state"], over: Partial<Deployment> = {}): Deployment => ({
  modelId: `${BASE}-${ticker.toLowerCase()}`,
  mt: `0x${Buffer.from(ticker).toString("hex").padStart(40, "0")}`,
  baseModelId: BASE,
  ticker,
  name: ticker,
  creator: "0x000000000000000000000000000000000000c0de",
  state,
  opensAt: 1_700_000_000,
  closesAt: 1_700_604_800, // 2023-11-21T22:13:20Z
  pricing: TEST_PRICING,
  ...over,
});

/** A source whose answer the test sets; counts reads, fails on demand. */
class MemorySource implements DeploymentSource {
  deployments: Deployment[] = [];
  reads = 0;
  failing = false;
  async listDeployments(): Promise<readonly Deployment[]> {
    this.reads++;
    if (this.failing) throw new Error("rpc down");
    return this.deployments;
  }
}

function setup(deployments: Deployment[]) {
  const source = new MemorySource();
  source.deployments = deployments;
  const routes = new Map([[BASE, backend([BASE])]]);
  const platform = new StaticCatalog([{ id: BASE, pricing: defaultCatalog[0]!.pricing }], routes);
  const clock = { now: 0 };
  const errors: unknown[] = [];
  const catalog = new DeploymentCatalog(platform, source, routes, {
    now: () => clock.now,
    missRefreshMs: 1_000,
    onError: (e) => errors.push(e),
  });
  return { source, catalog, clock, errors };
}

const reasonOf = (lookup: CatalogLookup) => (lookup.found ? undefined : lookup.reason);

describe("StaticCatalog", () => {
  it("serves the models that have a route, nothing else", async () => {
    const routes = new Map([[BASE, backend([BASE])]]);
    const catalog = new StaticCatalog([{ id: BASE, pricing: TEST_PRICING }, { id: "no-backend", pricing: TEST_PRICING }], routes);
    assert.deepEqual((await catalog.list()).map((m) => m.served.id), [BASE]);
    assert.equal((await catalog.lookup("no-backend")).found, false);
  });
});

describe("DeploymentCatalog", () => {
  it("lists base models then graduated deployments, each on its base model's backend at its own prices", async () => {
    const { catalog } = setup([deployment("LIVE", "Graduated"), deployment("WAIT", "Raising")]);
    await catalog.refresh();
    const listed = await catalog.list();
    assert.deepEqual(listed.map((m) => m.served.id), [BASE, `${BASE}-live`]);
    const live = listed[1]!;
    assert.equal(live.info.id, BASE, "the backend is asked for the base model");
    assert.equal(live.served.pricing, TEST_PRICING);
    assert.equal(live.served.deployment, deployment("LIVE", "Graduated").mt);
  });

  it("says why a known deployment is not served", async () => {
    const { catalog } = setup([
      deployment("WAIT", "Raising"),
      deployment("DONE", "Succeeded"),
      deployment("FAIL", "Failed"),
      deployment("ELSE", "Graduated", { baseModelId: "qwen3-30b-a3b-instruct" }),
    ]);
    await catalog.refresh();
    assert.equal(
      reasonOf(await catalog.lookup(`${BASE}-wait`)),
      `The model \`${BASE}-wait\` is still raising until 2023-11-21T22:13:20Z; it is served once it graduates.`,
    );
    assert.match(reasonOf(await catalog.lookup(`${BASE}-done`))!, /closed its raise on 2023-11-21T22:13:20Z and is served once it graduates/);
    assert.match(reasonOf(await catalog.lookup(`${BASE}-fail`))!, /offering failed/);
    assert.match(reasonOf(await catalog.lookup(`${BASE}-else`))!, /runs on qwen3-30b-a3b-instruct, which this gateway does not serve/);
    assert.deepEqual(await catalog.lookup("nope"), { found: false });
  });

  it("refreshes on a miss at most once per throttle period, and serves what the refresh found", async () => {
    const { catalog, source, clock } = setup([deployment("LATE", "Raising")]);
    await catalog.refresh();
    assert.equal(source.reads, 1);
    // A burst of misses: one read, shared.
    await Promise.all([catalog.lookup("nope"), catalog.lookup("nope"), catalog.lookup(`${BASE}-late`)]);
    assert.equal(source.reads, 2);
    source.deployments = [deployment("LATE", "Graduated")];
    assert.equal((await catalog.lookup(`${BASE}-late`)).found, false, "within the throttle: the cached state");
    assert.equal(source.reads, 2);
    clock.now += 1_000;
    assert.equal((await catalog.lookup(`${BASE}-late`)).found, true);
    assert.equal(source.reads, 3);
    // Graduated and platform models never cause a read.
    clock.now += 1_000;
    await catalog.lookup(`${BASE}-late`);
    await catalog.lookup(BASE);
    assert.equal(source.reads, 3);
  });

  it("keeps serving the last known deployments while the source fails", async () => {
    const { catalog, source, clock, errors } = setup([deployment("LIVE", "Graduated")]);
    await catalog.refresh();
    source.failing = true;
    clock.now += 1_000;
    await catalog.lookup("nope");
    assert.equal(errors.length, 1);
    assert.equal((await catalog.lookup(`${BASE}-live`)).found, true);
    assert.deepEqual((await catalog.list()).map((m) => m.served.id), [BASE, `${BASE}-live`]);
  });

  it("on a graduation signal reads the source at once, and again until a lagging source lists it", async () => {
    const source = new MemorySource();
    source.deployments = [deployment("LATE", "Raising")];
    const routes = new Map([[BASE, backend([BASE])]]);
    let signal: ((mt: string) => void) | undefined;
    let unsubscribed = false;
    const catalog = new DeploymentCatalog(new StaticCatalog([], routes), source, routes, {
      refreshMs: 3_600_000,
      missRefreshMs: 5,
      graduationWaitMs: 1_000,
      graduations: (onGraduated) => {
        signal = onGraduated;
        return () => void (unsubscribed = true);
      },
    });
    await catalog.start();
    assert.equal(source.reads, 1);
    // A read model two reads behind the chain: the first two reads still say Raising.
    let behind = 2;
    source.listDeployments = async function (this: MemorySource) {
      this.reads++;
      return behind-- > 0 ? [deployment("LATE", "Raising")] : [deployment("LATE", "Graduated")];
    };
    const graduated = new Promise<void>((resolve) => {
      const check = async () => ((await catalog.list()).length === 1 ? resolve() : setTimeout(check, 5));
      void check();
    });
    signal!(deployment("LATE", "Graduated").mt.toUpperCase().replace("0X", "0x"));
    await graduated;
    assert.equal(source.reads, 4, "once at start, then until the source lists the graduation: three reads");
    assert.deepEqual((await catalog.list()).map((m) => m.served.offering), [
      { mt: deployment("LATE", "Graduated").mt, ticker: "LATE", name: "LATE", issuer: deployment("LATE", "Graduated").creator, baseModelId: BASE },
    ]);
    catalog.close();
    assert.ok(unsubscribed, "close() unsubscribes");
  });
});
