// What a gateway serves, from the read model instead of the chain: every offering with its state and
// its terms' prices (the gateway's DeploymentSource), and stakes for the staker discount (its
// StakeReader). The shapes are the gateway's, matched structurally: the engine and the gateway never
// import each other, the CLI plugs one into the other (`fomo up`).
//
// A refresh is a few queries on the database the indexer feeds, not a scan of the chain's logs.
// States that move with time alone (Raising → Succeeded/Failed once the window closes) are taken at
// the time of the indexer's tip (the last block it has read, events or not): the indexer stores the
// headers of blocks with events only, so the tip's time is read over RPC once per tip (by hash,
// immutable), falling back to the latest stored block's time when the RPC does not answer. A template's base model and a terms version's prices are
// immutable on chain and the read model does not index them (offering_terms keeps the curve and the
// sale), so they are read over RPC once per template and terms version and kept.
import type { Database } from "@fomo/ledger";
import { deploymentStateOf, getTemplate, getTerms, type Deployments, type ServedDeployment } from "@fomo/sdk";
import type { Address, PublicClient } from "viem";
import { latestBlockTime } from "./chain.ts";
import { listOfferings, type OfferingRecord } from "./offerings.ts";
import { listStakes } from "./stakes.ts";

export interface ReadModelServingOptions {
  /** The database the indexer feeds (the ledger's). */
  db: Database;
  /** For what the read model does not index and never changes: templates' base models, terms' prices. */
  client: PublicClient;
  deployments: Deployments;
}

/** What never changes about an offering once launched and is not in the read model. */
type Immutables = Pick<ServedDeployment, "baseModelId" | "pricing">;

export class ReadModelServing {
  readonly #db: Database;
  readonly #client: PublicClient;
  readonly #deployments: Deployments;
  /** By template and terms version (offerings share them); a failed read is dropped so the next refresh tries again. */
  readonly #immutables = new Map<string, Promise<Immutables>>();
  #tip: { hash: string; timestamp: bigint } | undefined;

  constructor(options: ReadModelServingOptions) {
    this.#db = options.db;
    this.#client = options.client;
    this.#deployments = options.deployments;
  }

  /** Every offering the indexer has seen, oldest first, with its state at the latest indexed block. */
  async listDeployments(): Promise<readonly ServedDeployment[]> {
    const at = await this.#indexedTime();
    const offerings = await listOfferings(this.#db, { chainId: this.#deployments.chainId, ...(at === undefined ? {} : { at }) });
    // A launched offering is never in state None; one the read model could not name is left out.
    const served = offerings.flatMap((o) => {
      const state = deploymentStateOf(o.stateName);
      return state === undefined ? [] : [{ o, state }];
    });
    return Promise.all(
      served.map(async ({ o, state }) => ({
        modelId: o.modelId,
        mt: o.mt,
        ...(await this.#immutablesOf(o)),
        ticker: o.ticker,
        name: o.name,
        creator: o.creator,
        state,
        opensAt: o.opensAt,
        closesAt: o.closesAt,
      })),
    );
  }

  /** `wallet`'s stake in force in `mt` as far as the chain is indexed (MtStaking.stakeOf). */
  async stakeOf(wallet: string, mt: string): Promise<bigint> {
    const [position] = await listStakes(this.#db, { chainId: this.#deployments.chainId, mt: mt as Address, account: wallet as Address });
    return position?.stake ?? 0n;
  }

  /** Unix seconds of the indexer's tip; undefined before it read anything. */
  async #indexedTime(): Promise<bigint | undefined> {
    const tip = await this.#db
      .selectFrom("chain_cursors")
      .select("tip_hash")
      .where("chain_id", "=", BigInt(this.#deployments.chainId))
      .where("tip_hash", "is not", null)
      .orderBy("next_block", "desc")
      .limit(1)
      .executeTakeFirst();
    if (tip?.tip_hash == null) return undefined;
    if (this.#tip?.hash !== tip.tip_hash) {
      const hash = tip.tip_hash as `0x${string}`;
      const block = await this.#client.getBlock({ blockHash: hash }).catch(() => undefined);
      if (block === undefined) return latestBlockTime(this.#db, this.#deployments.chainId);
      this.#tip = { hash, timestamp: block.timestamp };
    }
    return this.#tip.timestamp;
  }

  #immutablesOf(o: OfferingRecord): Promise<Immutables> {
    const id = `${o.templateId}/${o.termsId}`;
    let read = this.#immutables.get(id);
    if (read === undefined) {
      read = Promise.all([
        getTemplate(this.#client, this.#deployments, { templateId: o.templateId }),
        getTerms(this.#client, this.#deployments, { termsId: o.termsId }),
      ]).then(([template, terms]) => ({ baseModelId: template.baseModelId, pricing: { ...terms.pricing } }));
      read.catch(() => this.#immutables.delete(id));
      this.#immutables.set(id, read);
    }
    return read;
  }
}
