// The catalog of a gateway wired to chain: the platform's base models, plus every graduated
// deployment `<base>-<ticker>` on the backend of its base model, priced by its offering's terms.
// Deployments are cached and refreshed periodically; a request for a model that has not graduated yet (or
// not known yet) triggers a refresh, at most one per `missRefreshMs`, so a graduation shows up
// within a second or so without an RPC per request. With a graduation signal (chain/graduations.ts)
// a graduation refreshes the cache at once, so GET /v1/models lists it without waiting for the period.
import type { Backend } from "../backends/types.ts";
import type { CatalogLookup, CatalogModel, ModelCatalog } from "../catalog/index.ts";
import type { GraduationSignal } from "./graduations.ts";
import type { Deployment, DeploymentSource } from "./types.ts";

export interface DeploymentCatalogOptions {
  /** Period of the background refresh; default 15 s. */
  refreshMs?: number;
  /** Least time between two refreshes caused by lookups of ids not served (yet); default 1 s. */
  missRefreshMs?: number;
  now?: () => number;
  /** A failed refresh: the last known deployments stay served. */
  onError?: (error: unknown) => void;
  /** Graduations as they happen (chain/graduations.ts): each refreshes the deployments at once (graduated()). */
  graduations?: GraduationSignal;
  /** How long graduated() keeps reading a source that does not list the graduation yet; default 60 s. */
  graduationWaitMs?: number;
}

export class DeploymentCatalog implements ModelCatalog {
  readonly #platform: ModelCatalog;
  readonly #source: DeploymentSource;
  readonly #routes: ReadonlyMap<string, Backend>;
  readonly #refreshMs: number;
  readonly #missRefreshMs: number;
  readonly #now: () => number;
  readonly #onError: (error: unknown) => void;
  #byId = new Map<string, Deployment>();
  #refreshing: Promise<void> | undefined;
  #lastMissRefresh = -Infinity;
  #timer: NodeJS.Timeout | undefined;
  readonly #graduations: GraduationSignal | undefined;
  readonly #graduationWaitMs: number;
  #unsubscribe: (() => void) | undefined;
  #closed = false;

  /** `platform`: the base models; `routes`: base model id -> backend (backends.routeModels). */
  constructor(platform: ModelCatalog, source: DeploymentSource, routes: ReadonlyMap<string, Backend>, options: DeploymentCatalogOptions = {}) {
    this.#platform = platform;
    this.#source = source;
    this.#routes = routes;
    this.#refreshMs = options.refreshMs ?? 15_000;
    this.#missRefreshMs = options.missRefreshMs ?? 1_000;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
    this.#graduations = options.graduations;
    this.#graduationWaitMs = options.graduationWaitMs ?? 60_000;
  }

  /** Loads the deployments once, then keeps refreshing them in the background (and on each graduation) until close(). */
  async start(): Promise<void> {
    // Subscribed first: a graduation while the first read is under way is not missed.
    this.#unsubscribe ??= this.#graduations?.((mt) => void this.graduated(mt));
    await this.refresh();
    this.#timer ??= setInterval(() => void this.refresh(), this.#refreshMs).unref();
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  /**
   * `mt` graduated: read the deployments now, and again every missRefreshMs until the source lists
   * it graduated (a read model learns of it only once its indexer has), for at most graduationWaitMs.
   */
  async graduated(mt: string): Promise<void> {
    const attempts = Math.max(1, Math.ceil(this.#graduationWaitMs / this.#missRefreshMs));
    for (let attempt = 1; !this.#closed; attempt++) {
      await this.refresh();
      if (this.#isGraduated(mt) || attempt >= attempts || this.#closed) return;
      await new Promise((resolve) => setTimeout(resolve, this.#missRefreshMs).unref());
    }
  }

  #isGraduated(mt: string): boolean {
    const address = mt.toLowerCase();
    for (const d of this.#byId.values()) if (d.mt.toLowerCase() === address) return d.state === "Graduated";
    return false;
  }

  /** Reads the deployments again (one read at a time); a failure keeps the last known ones. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#source
      .listDeployments()
      .then(
        (list) => void (this.#byId = new Map(list.map((d) => [d.modelId, d]))),
        (error: unknown) => this.#onError(error),
      )
      .finally(() => (this.#refreshing = undefined));
    return this.#refreshing;
  }

  async list(): Promise<readonly CatalogModel[]> {
    const graduated = [...this.#byId.values()].filter((d) => d.state === "Graduated").sort((a, b) => a.opensAt - b.opensAt);
    return [...(await this.#platform.list()), ...graduated.flatMap((d) => this.#served(d) ?? [])];
  }

  async lookup(id: string): Promise<CatalogLookup> {
    const platform = await this.#platform.lookup(id);
    if (platform.found) return platform;
    let deployment = this.#byId.get(id);
    if (deployment?.state !== "Graduated" && this.#now() - this.#lastMissRefresh >= this.#missRefreshMs) {
      this.#lastMissRefresh = this.#now();
      await this.refresh();
      deployment = this.#byId.get(id);
    }
    if (!deployment) return { found: false };
    if (deployment.state !== "Graduated") return { found: false, reason: notServedReason(deployment) };
    const model = this.#served(deployment);
    if (!model) {
      return { found: false, reason: `The model \`${id}\` runs on ${deployment.baseModelId}, which this gateway does not serve.` };
    }
    return { found: true, model };
  }

  /** A graduated deployment on the backend of its base model, or undefined when no backend here runs it. */
  #served(d: Deployment): CatalogModel | undefined {
    const backend = this.#routes.get(d.baseModelId);
    const info = backend?.models.find((m) => m.id === d.baseModelId);
    if (!backend || !info) return undefined;
    return {
      served: {
        id: d.modelId,
        pricing: d.pricing,
        deployment: d.mt,
        ownedBy: d.creator,
        created: d.opensAt,
        offering: { mt: d.mt, ticker: d.ticker, name: d.name, issuer: d.creator, baseModelId: d.baseModelId },
      },
      backend,
      info,
    };
  }
}

const isoTime = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString().replace(".000Z", "Z");

function notServedReason(d: Deployment): string {
  const model = `The model \`${d.modelId}\``;
  switch (d.state) {
    case "Raising":
      return `${model} is still raising until ${isoTime(d.closesAt)}; it is served once it graduates.`;
    case "Succeeded":
      return `${model} succeeded: it closed its raise on ${isoTime(d.closesAt)} and is served once it graduates (anyone may call graduate()).`;
    case "Failed":
      return `${model} is not served: its offering failed (it raised less than its minimum by ${isoTime(d.closesAt)}); supporters can refund their FLOCK.`;
    case "Graduated":
      throw new Error("a graduated deployment has no reason not to be served");
  }
}
