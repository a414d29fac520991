// The marketplace's data: every offering the platform lists (all pages of GET /offerings), and the
// filtering, search and sorting the page does in the browser on that one list, so a filter change
// answers at once and the 5-second refresh is one request chain whatever the filters.
import { apiGet } from "../../lib/api.ts";
import type { Decimal, OfferingState, OfferingView } from "../../lib/wire.ts";

/**
 * An offering as the list serves it. 24 h volume and market cap are newer fields: a platform that
 * does not send them yet shows "—" rather than a made-up zero.
 */
export type MarketOffering = Omit<OfferingView, "volume_24h_flock" | "market_cap_flock"> & {
  volume_24h_flock?: Decimal;
  market_cap_flock?: Decimal;
};

export interface Market {
  offerings: MarketOffering[];
  /** Unix seconds of the latest indexed block: the clock time left is measured on (chain time, not this browser's). */
  asOf: bigint;
}

interface OfferingsAnswer {
  data: MarketOffering[];
  next_cursor: string | null;
  as_of: Decimal;
}

/** The API's largest page. */
export const PAGE_LIMIT = 200;

/** Every offering, following next_cursor to the last page. */
export async function fetchMarket(signal?: AbortSignal): Promise<Market> {
  const offerings: MarketOffering[] = [];
  let cursor: string | null = null;
  let asOf = 0n;
  do {
    const page: OfferingsAnswer = await apiGet<OfferingsAnswer>("/offerings", { limit: PAGE_LIMIT, cursor }, signal);
    offerings.push(...page.data);
    if (asOf === 0n) asOf = BigInt(page.as_of);
    cursor = page.next_cursor;
  } while (cursor);
  return { offerings, asOf };
}

export const STATES: readonly OfferingState[] = ["raising", "succeeded", "failed", "graduated"];

export const SORTS = {
  trending: "Trending",
  newest: "Newest",
  closing: "Closing soon",
} as const;
export type Sort = keyof typeof SORTS;
export const isSort = (value: string): value is Sort => Object.hasOwn(SORTS, value);

export interface Filters {
  state: string;
  /** A template id as a string, or "" for all. */
  template: string;
  search: string;
  sort: Sort;
}

/** The price a buyer pays now, FLOCK wei per whole $MT: the pool's once graduated, else the curve's. */
export const priceOf = (o: MarketOffering): Decimal => (o.state === "graduated" && o.pool_price !== null ? o.pool_price : o.curve_price);

/** Seconds until a raise closes (0 once its window passed); undefined when it is not raising. */
export function secondsLeft(o: MarketOffering, asOf: bigint): bigint | undefined {
  if (o.state !== "raising") return undefined;
  const left = BigInt(o.closes_at) - asOf;
  return left > 0n ? left : 0n;
}

/** Where raise_min sits on the bar, bps of raise_max (rounded down, like progress_bps). */
export function minMarkerBps(o: Pick<MarketOffering, "raise_min_flock" | "raise_max_flock">): bigint {
  const max = BigInt(o.raise_max_flock);
  return max === 0n ? 0n : (BigInt(o.raise_min_flock) * 10_000n) / max;
}

/**
 * The base model an offering serves, read off its model id (`<baseModelId>-<ticker in lower case>`,
 * SDK modelIdOf): the template's name, known without reading the registry from the chain.
 */
export function baseModelOf(o: Pick<MarketOffering, "model_id" | "ticker">): string | undefined {
  const suffix = `-${o.ticker.toLowerCase()}`;
  return o.model_id.endsWith(suffix) ? o.model_id.slice(0, -suffix.length) : undefined;
}

/** Template id → its base model, from the offerings launched on each (ids in order). */
export function templatesOf(offerings: readonly MarketOffering[]): Map<number, string> {
  const names = new Map<number, string>();
  for (const o of [...offerings].sort((a, b) => a.template_id - b.template_id)) {
    if (!names.has(o.template_id)) names.set(o.template_id, baseModelOf(o) ?? `Template ${o.template_id}`);
  }
  return names;
}

/** Raising, failed and succeeded offerings have an offering page; graduated ones trade as a live model. */
export const hrefOf = (o: Pick<MarketOffering, "state" | "ticker">) =>
  `${o.state === "graduated" ? "/models" : "/offerings"}/${encodeURIComponent(o.ticker)}`;

const byBigint = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const launchOrder = (o: MarketOffering) => BigInt(o.launched.block_number) * 1_000_000n + BigInt(o.launched.log_index);
const newestFirst = (a: MarketOffering, b: MarketOffering) => byBigint(launchOrder(b), launchOrder(a));
const volume = (o: MarketOffering) => BigInt(o.volume_24h_flock ?? "0");

const COMPARE: Record<Sort, (asOf: bigint) => (a: MarketOffering, b: MarketOffering) => number> = {
  // Most traded in 24 h, then most buys, then the newest.
  trending: () => (a, b) => byBigint(volume(b), volume(a)) || b.buys - a.buys || newestFirst(a, b),
  newest: () => newestFirst,
  // Open raises by close time, soonest first; then everything else, newest first.
  closing: (asOf) => (a, b) => {
    const openA = a.state === "raising" && BigInt(a.closes_at) > asOf;
    const openB = b.state === "raising" && BigInt(b.closes_at) > asOf;
    if (openA !== openB) return openA ? -1 : 1;
    return (openA ? a.closes_at - b.closes_at : 0) || newestFirst(a, b);
  },
};

/** The offerings the filters let through, sorted. */
export function selectOfferings(offerings: readonly MarketOffering[], filters: Filters, asOf: bigint): MarketOffering[] {
  const needle = filters.search.trim().toLowerCase();
  const kept = offerings.filter(
    (o) =>
      (filters.state === "" || o.state === filters.state) &&
      (filters.template === "" || String(o.template_id) === filters.template) &&
      (needle === "" || o.ticker.toLowerCase().includes(needle) || o.name.toLowerCase().includes(needle) || o.model_id.toLowerCase().includes(needle)),
  );
  return kept.sort(COMPARE[filters.sort](asOf));
}
