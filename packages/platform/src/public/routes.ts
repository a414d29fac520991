// The public read API (no session; rate-limited per IP): offerings, $MT token pages, portfolios by
// address, and epochs, for the web app and integrators. Everything comes from `reads` (reads.ts);
// without it (no read model configured) these routes answer 503.
import { discountBpsForStake, type OfferingRecord } from "@fomo/sdk";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { getAddress, type Address } from "viem";
import { badRequest, notFound, PlatformError } from "../errors.ts";
import { pageOf, pageQueryProperties, type PageQuery } from "../pagination.ts";
import { ADDRESS_PATTERN, addressSchema, publicRoute } from "../routes/schemas.ts";
import { candleResponse, holderResponse, offeringDetailResponse, offeringsResponse, pageResponse, portfolioResponse, tradeResponse } from "../responses.ts";
import type { KeeperEpochRead, PublicReads, RewardProofsRead } from "./reads.ts";
import { candleView, holderView, holdingView, offeringView, positionView, tradeView } from "./views.ts";

const OFFERING_STATES = ["raising", "succeeded", "failed", "graduated"] as const;
const OFFERING_SORTS = ["launched", "raised", "progress", "closes_at", "buys"] as const;
type OfferingSort = (typeof OFFERING_SORTS)[number];

interface OfferingsQuery extends PageQuery {
  state?: (typeof OFFERING_STATES)[number];
  creator?: string;
  sort: OfferingSort;
  order: "asc" | "desc";
}

interface CandleQuery {
  interval: number;
  from?: number;
  to?: number;
}

const SORT_KEY: Record<OfferingSort, (o: OfferingRecord) => bigint> = {
  launched: (o) => o.launched.blockNumber * 1_000_000n + BigInt(o.launched.logIndex),
  raised: (o) => o.raised,
  progress: (o) => o.progressBps,
  closes_at: (o) => BigInt(o.closesAt),
  buys: (o) => BigInt(o.buyCount),
};

const offeringId = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", minLength: 1, maxLength: 42, pattern: "^(0x[0-9a-fA-F]{40}|[A-Za-z0-9$._-]{1,32})$", description: "The $MT address or the ticker." } },
} as const;
const addressParam = (name: string) => ({ type: "object", required: [name], properties: { [name]: addressSchema } }) as const;
const epochParam = { type: "object", required: ["epoch"], properties: { epoch: { type: "integer", minimum: 0, maximum: Number.MAX_SAFE_INTEGER } } } as const;
const candleProperties = {
  interval: { type: "integer", minimum: 60, maximum: 7 * 86_400, default: 3_600, description: "Candle length, seconds." },
  from: { type: "integer", minimum: 0, description: "Unix seconds, inclusive." },
  to: { type: "integer", minimum: 0, description: "Unix seconds, exclusive." },
} as const;

export const publicRoutes: FastifyPluginAsync = async (app) => {
  const readsOf = (): PublicReads => {
    const reads = app.platform.reads;
    if (!reads) throw new PlatformError(503, "read_model_unavailable", "This platform serves no read model: start it with the chain's deployments (fomo platform on a stack).", { retryAfterSeconds: 30 });
    return reads;
  };
  /** Unix seconds the answers are current to: the read model's latest block (the chain's clock, not this server's). */
  const nowOf = async (reads: PublicReads): Promise<bigint> => (await reads.indexedTime()) ?? 0n;
  const DAY = 86_400n;
  /** The 24 h before `now` (the read model's clock): every offering's volume in one pass. */
  const volumesAt = (reads: PublicReads, now: bigint) => reads.tradedVolume(now > DAY ? now - DAY : 0n);
  const volumeOf = (volumes: ReadonlyMap<string, bigint>, o: OfferingRecord) => volumes.get(o.mt.toLowerCase()) ?? 0n;

  const findOffering = async (reads: PublicReads, id: string): Promise<OfferingRecord> => {
    const found = new RegExp(ADDRESS_PATTERN).test(id)
      ? await reads.getOffering(getAddress(id.toLowerCase()))
      : (await reads.listOfferings()).find((o) => o.ticker.toLowerCase() === id.toLowerCase());
    if (!found) throw notFound(`Offering ${id}`);
    return found;
  };
  const candlesOf = (reads: PublicReads, mt: Address, q: CandleQuery) => {
    if (q.from !== undefined && q.to !== undefined && q.to <= q.from) throw badRequest("to must be after from.");
    return reads.priceCandles({
      mt,
      intervalSeconds: BigInt(q.interval),
      ...(q.from === undefined ? {} : { from: BigInt(q.from) }),
      ...(q.to === undefined ? {} : { to: BigInt(q.to) }),
    });
  };

  app.get<{ Querystring: OfferingsQuery }>(
    "/offerings",
    publicRoute("offerings", "Offerings, filtered by state or creator, sorted", {
      querystring: {
        type: "object",
        additionalProperties: false,
        properties: {
          ...pageQueryProperties,
          state: { type: "string", enum: OFFERING_STATES },
          creator: addressSchema,
          sort: { type: "string", enum: OFFERING_SORTS, default: "launched" },
          order: { type: "string", enum: ["asc", "desc"], default: "desc" },
        },
      },
      response: { 200: offeringsResponse },
    }),
    async (request) => {
      const reads = readsOf();
      const { state, creator, sort, order } = request.query;
      const key = SORT_KEY[sort];
      const sign = order === "asc" ? 1 : -1;
      const offerings = (await reads.listOfferings())
        .filter((o) => state === undefined || o.stateName.toLowerCase() === state)
        .filter((o) => creator === undefined || o.creator.toLowerCase() === creator.toLowerCase())
        // Ties keep launch order: a stable sort, so pages never shuffle between requests.
        .toSorted((a, b) => (key(a) === key(b) ? 0 : key(a) < key(b) ? -sign : sign));
      const page = pageOf(offerings, request.query);
      const now = await nowOf(reads);
      const volumes = await volumesAt(reads, now);
      return { data: page.data.map((o) => offeringView(o, volumeOf(volumes, o))), next_cursor: page.next_cursor, as_of: now };
    },
  );

  app.get<{ Params: { id: string }; Querystring: CandleQuery }>(
    "/offerings/:id",
    publicRoute("offerings", "One offering: state, progress, price, and its candles", {
      params: offeringId,
      querystring: { type: "object", additionalProperties: false, properties: candleProperties },
      response: { 200: offeringDetailResponse },
    }),
    async (request) => {
      const reads = readsOf();
      const offering = await findOffering(reads, request.params.id);
      const candles = await candlesOf(reads, offering.mt, request.query);
      const now = await nowOf(reads);
      return {
        ...offeringView(offering, volumeOf(await volumesAt(reads, now), offering)),
        seconds_left: offering.stateName === "Raising" ? Math.max(0, offering.closesAt - Number(now)) : 0,
        candles: candles.map(candleView),
        as_of: now,
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: CandleQuery & PageQuery }>(
    "/offerings/:id/candles",
    publicRoute("offerings", "OHLC candles of an offering's price (curve, then pool), oldest first", {
      params: offeringId,
      querystring: { type: "object", additionalProperties: false, properties: { ...candleProperties, ...pageQueryProperties } },
      response: { 200: pageResponse(candleResponse) },
    }),
    async (request) => {
      const reads = readsOf();
      const offering = await findOffering(reads, request.params.id);
      const page = pageOf(await candlesOf(reads, offering.mt, request.query), request.query);
      return { data: page.data.map(candleView), next_cursor: page.next_cursor };
    },
  );

  app.get<{ Params: { id: string }; Querystring: PageQuery }>(
    "/offerings/:id/trades",
    publicRoute("offerings", "An offering's curve buys, newest first: buyer, FLOCK in, fees, $MT out", {
      params: offeringId,
      querystring: { type: "object", additionalProperties: false, properties: pageQueryProperties },
      response: { 200: pageResponse(tradeResponse) },
    }),
    async (request) => {
      const reads = readsOf();
      const offering = await findOffering(reads, request.params.id);
      const page = pageOf((await reads.listBuys({ mt: offering.mt })).toReversed(), request.query);
      return { data: page.data.map(tradeView), next_cursor: page.next_cursor };
    },
  );

  app.get<{ Params: { mt: string } }>(
    "/tokens/:mt",
    publicRoute("tokens", "An $MT: supply, burned, pooled, holders, revenue routed, buybacks and emissions in total", { params: addressParam("mt") }),
    async (request) => {
      const reads = readsOf();
      const mt = getAddress(request.params.mt.toLowerCase());
      const offering = await reads.getOffering(mt);
      if (!offering) throw notFound(`$MT ${mt}`);
      const [supply, flows] = await Promise.all([reads.mtSupply(mt), reads.epochFlows({})]);
      const reports = flows.flatMap((f) => f.reports).filter((r) => r.mt === mt);
      const buybacks = flows.flatMap((f) => f.buybacks).filter((b) => b.target === mt);
      const total = <T>(items: readonly T[], of: (item: T) => bigint) => items.reduce((sum, item) => sum + of(item), 0n);
      return {
        mt,
        ticker: offering.ticker,
        state: offering.stateName.toLowerCase(),
        total_supply: supply.totalSupply,
        burned: supply.burned,
        in_pool: supply.lp,
        pair: supply.pair ?? null,
        holders: supply.holders,
        revenue: {
          epochs_reported: reports.length,
          gross: total(reports, (r) => r.gross),
          hard_cost: total(reports, (r) => r.hardCost),
          mt_buyback: total(reports, (r) => r.mtBuyback),
          issuer_yield: total(reports, (r) => r.issuerYield),
          flock_buyback: total(reports, (r) => r.flockBuyback),
          treasury: total(reports, (r) => r.treasury),
        },
        buybacks: { count: buybacks.length, spent: total(buybacks, (b) => b.spent), burned: total(buybacks, (b) => b.burned) },
        as_of: await nowOf(reads),
      };
    },
  );

  app.get<{ Params: { mt: string }; Querystring: PageQuery }>(
    "/tokens/:mt/holders",
    publicRoute("tokens", "An $MT's holders with a positive balance, largest first (the pool pair is one; 0x0 and the burn address are not)", {
      params: addressParam("mt"),
      querystring: { type: "object", additionalProperties: false, properties: pageQueryProperties },
      response: { 200: pageResponse(holderResponse) },
    }),
    async (request) => {
      const reads = readsOf();
      const mt = getAddress(request.params.mt.toLowerCase());
      if (!(await reads.getOffering(mt))) throw notFound(`$MT ${mt}`);
      const page = pageOf(await reads.mtHolders(mt), request.query);
      return { data: page.data.map(holderView), next_cursor: page.next_cursor };
    },
  );

  app.get<{ Params: { mt: string }; Querystring: PageQuery }>(
    "/tokens/:mt/epochs",
    publicRoute("tokens", "An $MT per epoch, newest first: revenue reports, buybacks and burns (with tx hashes), incentive emissions", {
      params: addressParam("mt"),
      querystring: { type: "object", additionalProperties: false, properties: pageQueryProperties },
    }),
    async (request) => {
      const reads = readsOf();
      const mt = getAddress(request.params.mt.toLowerCase());
      if (!(await reads.getOffering(mt))) throw notFound(`$MT ${mt}`);
      // Only the epochs this $MT had something in (usage settled, a report, a buyback): a chain of
      // short epochs has thousands of quiet ones.
      const [flows, settled] = await Promise.all([reads.epochFlows({}), reads.listDeploymentEpochs(mt)]);
      const epochs = new Set<bigint>(settled.map((d) => d.epoch));
      for (const f of flows) if (f.reports.some((r) => r.mt === mt) || f.buybacks.some((b) => b.target === mt)) epochs.add(f.epoch);
      const ordered = [...epochs].sort((a, b) => (a === b ? 0 : a < b ? 1 : -1));
      const page = pageOf(ordered, request.query);
      const data = page.data.map((epoch) => {
          const f = flows.find((x) => x.epoch === epoch);
          const release = settled.find((d) => d.epoch === epoch);
          return {
            epoch,
            reports: (f?.reports ?? []).filter((r) => r.mt === mt).map((r) => ({
              gross: r.gross, hard_cost: r.hardCost, mt_buyback: r.mtBuyback, issuer_yield: r.issuerYield, flock_buyback: r.flockBuyback,
              treasury: r.treasury, usage_root: r.usageRoot, ...positionView(r),
            })),
            buybacks: (f?.buybacks ?? []).filter((b) => b.target === mt).map((b) => ({ spent: b.spent, burned: b.burned, ...positionView(b) })),
            emission: release?.release_status
              ? { status: release.release_status, mt: release.release_mt, flock: release.release_flock, tx_hash: release.release_tx }
              : null,
          };
        });
      return { data, next_cursor: page.next_cursor };
    },
  );

  app.get<{ Params: { address: string } }>(
    "/portfolios/:address",
    publicRoute("portfolios", "An address's positions, refunds and claims, vesting, stakes (discount tier, cooldown) and rewards with proofs", {
      params: addressParam("address"),
      response: { 200: portfolioResponse },
    }),
    async (request) => {
      const reads = readsOf();
      const address = getAddress(request.params.address.toLowerCase());
      const [offerings, buys, events, stakes, roots, claims, now] = await Promise.all([
        reads.listOfferings(),
        reads.listBuys({ buyer: address }),
        reads.supporterEvents(address),
        reads.listStakes({ account: address }),
        reads.listRewardRoots({}),
        reads.listRewardClaims(address),
        nowOf(reads),
      ]);
      // Claims verify against the live root: the newest posted one past its challenge delay (the
      // distributor writes it to the live slots lazily, at the next post, claim or activate). The one
      // still waiting out its delay is shown apart, with the proofs that will claim from live_at on.
      const standing = roots.filter((r) => r.status !== "vetoed" && r.liveAt !== undefined);
      const newest = (of: typeof standing) => of.reduce<(typeof standing)[number] | undefined>((a, r) => (a === undefined || r.epoch > a.epoch ? r : a), undefined);
      const live = newest(standing.filter((r) => r.liveAt! <= now));
      const pending = newest(standing.filter((r) => r.liveAt! > now && r.status === "posted"));
      const [proofs, pendingProofs] = await Promise.all([
        live && reads.rewardProofs(address, live.epoch),
        pending && reads.rewardProofs(address, pending.epoch),
      ]);
      // A position starts with a buy: only the offerings this address bought in are replayed.
      const bought = new Set(buys.map((b) => b.mt));
      const positions = (
        await Promise.all(
          offerings.filter((o) => bought.has(o.mt)).map(async (o) => holdingView(o, await reads.supporterPosition({ mt: o.mt, account: address }), now)),
        )
      ).filter((p) => p.mt_owed > 0n || p.flock_committed > 0n);
      const tickerOf = new Map(offerings.map((o) => [o.mt, o.ticker]));
      const claimed = new Map<string, bigint>();
      for (const c of claims) if ((claimed.get(c.token) ?? 0n) < c.cumulative) claimed.set(c.token, c.cumulative);
      const rewardsView = (root: RewardProofsRead) => ({
        epoch: root.epoch,
        root: root.root,
        claims: root.claims.map((c) => {
          const already = claimed.get(getAddress(c.token)) ?? 0n;
          return {
            token: getAddress(c.token),
            cumulative_amount: c.cumulativeAmount,
            claimed: already,
            claimable: c.cumulativeAmount > already ? c.cumulativeAmount - already : 0n,
            proof: c.proof,
          };
        }),
      });
      return {
        address,
        positions,
        refunds: events.filter((e) => e.kind === "refund").map((e) => ({ mt: e.mt, ticker: tickerOf.get(e.mt) ?? null, flock: e.amount, ...positionView(e) })),
        claims: events.filter((e) => e.kind === "claim").map((e) => ({ mt: e.mt, ticker: tickerOf.get(e.mt) ?? null, mt_amount: e.amount, ...positionView(e) })),
        stakes: stakes.map((s) => ({
          mt: s.mt,
          ticker: tickerOf.get(s.mt) ?? null,
          staked: s.stake,
          // The gateway's staker discount on this $MT's model (SDK tiers).
          discount_bps: discountBpsForStake(s.stake),
          cooling: s.cooling,
          release_at: s.cooling > 0n ? s.releaseAt : null,
          withdrawable: s.cooling > 0n && s.releaseAt <= now,
        })),
        rewards: proofs ? rewardsView(proofs) : null,
        pending_rewards: pendingProofs && pending ? { ...rewardsView(pendingProofs), live_at: pending.liveAt! } : null,
        reward_claims: claims.map((c) => ({ token: c.token, amount: c.amount, cumulative: c.cumulative, ...positionView(c) })),
        as_of: now,
      };
    },
  );

  const epochView = (e: KeeperEpochRead) => ({
    epoch: e.epoch,
    step: e.step,
    error: e.error,
    window: { from: new Date(Number(e.window_from)).toISOString(), to: new Date(Number(e.window_to)).toISOString() },
    input_hash: e.input_hash,
    rewards_root: e.rewards_root,
    root_tx: e.root_tx,
    emission_total: e.emission_total,
    flock_buyback: e.flock_buyback_status
      ? { status: e.flock_buyback_status, spent: e.flock_buyback_spent, burned: e.flock_buyback_burned, tx_hash: e.flock_buyback_tx }
      : null,
  });
  const rootsView = (roots: Awaited<ReturnType<PublicReads["listRewardRoots"]>>) =>
    roots.map((r) => ({
      root: r.root, status: r.status, content_hash: r.contentHash ?? null, emitted: r.emitted ?? null, live_at: r.liveAt ?? null,
      history: r.history.map((h) => ({ status: h.status, ...positionView(h) })),
    }));

  app.get<{ Querystring: PageQuery }>(
    "/epochs",
    publicRoute("epochs", "Epochs the keeper settled, newest first: step, input file hash, roots", {
      querystring: { type: "object", additionalProperties: false, properties: pageQueryProperties },
    }),
    async (request) => {
      const reads = readsOf();
      const [epochs, roots] = await Promise.all([reads.listEpochs(), reads.listRewardRoots({})]);
      const page = pageOf(epochs.toSorted((a, b) => (a.epoch === b.epoch ? 0 : a.epoch < b.epoch ? 1 : -1)), request.query);
      return {
        data: page.data.map((e) => ({ ...epochView(e), roots: rootsView(roots.filter((r) => r.epoch === e.epoch)) })),
        next_cursor: page.next_cursor,
      };
    },
  );

  const epochOf = async (reads: PublicReads, request: FastifyRequest<{ Params: { epoch: number } }>) => {
    const epoch = BigInt(request.params.epoch);
    const row = (await reads.listEpochs()).find((e) => e.epoch === epoch);
    if (!row) throw notFound(`Epoch ${epoch}`);
    return row;
  };

  app.get<{ Params: { epoch: number } }>(
    "/epochs/:epoch",
    publicRoute("epochs", "One epoch: status, per-deployment settlement, roots", { params: epochParam }),
    async (request) => {
      const reads = readsOf();
      const row = await epochOf(reads, request);
      const [deployments, roots] = await Promise.all([reads.listEpochDeployments(row.epoch), reads.listRewardRoots({ epoch: row.epoch })]);
      return {
        ...epochView(row),
        deployments: deployments.map((d) => ({
          deployment: d.deployment, records: d.records, gross_micro_usd: d.gross, hard_cost_micro_usd: d.hard_cost, net_micro_usd: d.net,
          usage_root: d.usage_root, report: { status: d.report_status, tx_hash: d.report_tx },
          buyback: d.buyback_status ? { status: d.buyback_status, spent: d.buyback_spent, burned: d.buyback_burned, tx_hash: d.buyback_tx } : null,
          release: d.release_status ? { status: d.release_status, mt: d.release_mt, flock: d.release_flock, tx_hash: d.release_tx } : null,
        })),
        roots: rootsView(roots),
      };
    },
  );

  app.get<{ Params: { epoch: number } }>(
    "/epochs/:epoch/input",
    publicRoute("epochs", "The epoch's rewards input file, byte for byte (its keccak256 in X-Content-Hash)", { params: epochParam }),
    async (request, reply) => {
      const reads = readsOf();
      const row = await epochOf(reads, request);
      const input = await reads.epochInput(row.epoch);
      if (!input) throw notFound(`The input file of epoch ${row.epoch}`);
      // The exact bytes the hash covers: sent as a string, never re-serialised.
      reply.header("content-type", "application/json; charset=utf-8").header("x-content-hash", input.contentHash);
      return input.body;
    },
  );
};
