// The launch layer read over JSON-RPC with the SDK: offerings from the Launchpad's Launched logs,
// scanned incrementally (each refresh reads only the blocks since the last one), states of the
// offerings not yet final, prices from the TemplateRegistry's immutable terms, and stakes from
// MtStaking. Implements DeploymentSource and StakeReader for a gateway without an indexer on its
// database (`fomo up` serves them from the read model instead: ChainConfig.source).
import type { Address, PublicClient } from "viem";
import {
  checkUsdcDecimals,
  getEpochClock,
  getStake,
  getState,
  getTemplate,
  getTerms,
  listOfferings,
  type Deployments,
  type EpochClock,
  type LaunchedOffering,
  type Pricing,
  UsdcDecimalsMismatch,
} from "@fomo/sdk";
import type { StakeReader } from "../pricing/discounts.ts";
import { deploymentStateOf, isFinalState, type Deployment, type DeploymentSource } from "./types.ts";

export interface ChainReaderOptions {
  /** Largest block range of one getLogs call (public RPCs cap it); default 10,000. */
  logBlockRange?: bigint;
}

/** The RPC serves another chain than the deployments file describes. */
export class ChainMismatch extends Error {}

export class ChainReader implements DeploymentSource, StakeReader {
  readonly #client: PublicClient;
  readonly #deployments: Deployments;
  readonly #logBlockRange: bigint;
  readonly #known = new Map<Address, Deployment>();
  /** Last block whose Launched logs were read. */
  #scannedTo: bigint | undefined;
  // Immutable on chain, so read once: a template's base model and a terms version's prices.
  readonly #baseModelOf = readOnce((templateId: number) =>
    getTemplate(this.#client, this.#deployments, { templateId }).then((t) => t.baseModelId),
  );
  readonly #pricingOf = readOnce((termsId: number): Promise<Pricing> =>
    getTerms(this.#client, this.#deployments, { termsId }).then((t) => ({ ...t.pricing })),
  );
  readonly #epochClock = readOnce((_: "clock") => getEpochClock(this.#client, this.#deployments));
  #pending: Promise<readonly Deployment[]> | undefined;

  constructor(client: PublicClient, deployments: Deployments, options: ChainReaderOptions = {}) {
    this.#client = client;
    this.#deployments = deployments;
    this.#logBlockRange = options.logBlockRange ?? 10_000n;
  }

  /** Fails unless the RPC serves the chain the deployments file describes, stablecoin decimals included. */
  async checkChain(): Promise<void> {
    const chainId = await this.#client.getChainId();
    if (chainId !== this.#deployments.chainId) {
      throw new ChainMismatch(`the RPC serves chain ${chainId} but the deployments are for chain ${this.#deployments.chainId}`);
    }
    try {
      await checkUsdcDecimals(this.#client, this.#deployments);
    } catch (error) {
      // As fatal as a wrong chain: every USD amount on chain would be misread by a power of ten.
      if (error instanceof UsdcDecimalsMismatch) throw new ChainMismatch(error.message);
      throw error;
    }
  }

  /** The protocol's epoch clock (the EmissionSchedule's start and day length): immutable, so read once. */
  epochClock(): Promise<EpochClock> {
    return this.#epochClock("clock");
  }

  /** One scan at a time: concurrent callers share it. */
  listDeployments(): Promise<readonly Deployment[]> {
    this.#pending ??= this.#scan().finally(() => (this.#pending = undefined));
    return this.#pending;
  }

  stakeOf(wallet: string, deployment: string): Promise<bigint> {
    return getStake(this.#client, this.#deployments, { mt: deployment as Address, account: wallet as Address });
  }

  async #scan(): Promise<readonly Deployment[]> {
    // viem caches the block number for its polling interval: a refresh must see the latest block.
    const head = await this.#client.getBlockNumber({ cacheTime: 0 });
    // A chain behind our last scan was restarted (a local node): start over.
    if (this.#scannedTo !== undefined && head < this.#scannedTo) {
      this.#known.clear();
      this.#scannedTo = undefined;
    }
    const start = this.#scannedTo === undefined ? BigInt(this.#deployments.startBlock) : this.#scannedTo + 1n;
    for (let from = start; from <= head; from += this.#logBlockRange) {
      const to = from + this.#logBlockRange - 1n < head ? from + this.#logBlockRange - 1n : head;
      const launched = await listOfferings(this.#client, this.#deployments, { fromBlock: from, toBlock: to });
      const added = await Promise.all(launched.map((l) => this.#deployment(l)));
      for (const d of added) this.#known.set(d.mt as Address, d);
      this.#scannedTo = to;
    }
    // States move with time as well as with transactions: read every one not final, at `head`.
    const open = [...this.#known.values()].filter((d) => !isFinalState(d.state));
    const states = await Promise.all(
      open.map((d) => getState(this.#client, this.#deployments, { mt: d.mt as Address, blockNumber: head })),
    );
    open.forEach((d, i) => {
      const state = deploymentStateOf(states[i]!.name);
      if (state) this.#known.set(d.mt as Address, { ...d, state });
    });
    return [...this.#known.values()];
  }

  async #deployment(l: LaunchedOffering): Promise<Deployment> {
    const [baseModelId, pricing] = await Promise.all([this.#baseModelOf(l.templateId), this.#pricingOf(l.termsId)]);
    return {
      modelId: l.modelId,
      mt: l.mt,
      baseModelId,
      ticker: l.ticker,
      name: l.name,
      creator: l.creator,
      // Read with the others at the end of the scan.
      state: "Raising",
      opensAt: l.opensAt,
      closesAt: l.closesAt,
      pricing,
    };
  }
}

/** `read` memoised per key; a failed read is forgotten so the next call tries again. */
function readOnce<K, V>(read: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const cache = new Map<K, Promise<V>>();
  return (key) => {
    let value = cache.get(key);
    if (!value) {
      value = read(key);
      value.catch(() => cache.delete(key));
      cache.set(key, value);
    }
    return value;
  };
}
