// Response schemas of the main routes, for the OpenAPI document (a client generated from it, e.g.
// the web app's, gets typed answers). They document; the reply serializer is the one bigint-safe
// JSON.stringify of app.ts for every answer, so a schema never drops or reshapes a field. Tests
// validate real answers against these schemas, so they cannot drift from what is sent.
const integer = (description: string) => ({ type: "string", pattern: "^-?[0-9]+$", description }) as const;
const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const hash = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } as const;
const nullable = <S extends { type: string }>(schema: S) => ({ ...schema, type: [schema.type, "null"] });
const object = (properties: Record<string, object>) => ({ type: "object", additionalProperties: false, required: Object.keys(properties), properties }) as const;
const isoTime = { type: "string", format: "date-time" } as const;

export const pageResponse = (item: object) => object({ data: { type: "array", items: item }, next_cursor: nullable({ type: "string" }) });

export const eventPosition = {
  block_number: integer("Block number."),
  log_index: { type: "integer" },
  tx_hash: hash,
  timestamp: integer("Unix seconds of the block."),
} as const;

export const offeringResponse = object({
  mt: address,
  ticker: { type: "string" },
  name: { type: "string" },
  model_id: { type: "string" },
  creator: address,
  template_id: { type: "integer" },
  terms_id: { type: "integer" },
  metadata_uri: { type: "string" },
  state: { type: "string", enum: ["raising", "succeeded", "failed", "graduated"] },
  opens_at: { type: "integer", description: "Unix seconds." },
  closes_at: { type: "integer", description: "Unix seconds (moved by pauses)." },
  paused: { type: "boolean" },
  paused_seconds: { type: "integer" },
  graduated_at: nullable({ type: "integer" }),
  raised_flock: integer("FLOCK wei raised (net of fees)."),
  raise_min_flock: integer("FLOCK wei."),
  raise_max_flock: integer("FLOCK wei."),
  progress_bps: integer("raised / raise max, basis points, rounded down."),
  sold_mt: integer("$MT wei sold on the curve."),
  curve_price: integer("FLOCK wei per whole $MT on the curve."),
  pool_price: nullable(integer("FLOCK wei per whole $MT in the pool (graduated).")),
  pair: nullable(address),
  buys: { type: "integer" },
  launched: object(eventPosition),
  volume_24h_flock: integer("FLOCK wei traded in the 24 h before as_of (curve buys, then pool swaps)."),
  market_cap_flock: integer("Fully diluted: FLOCK wei per whole $MT (the pool's price once graduated) times the fixed supply, rounded down."),
});

export const tradeResponse = object({
  buyer: address,
  flock_in: integer("FLOCK wei paid, fees included."),
  net_flock: integer("FLOCK wei into the curve, after fees."),
  mt_out: integer("$MT wei bought."),
  base_fee: integer("FLOCK wei: the base fee."),
  surcharge: integer("FLOCK wei: the anti-snipe surcharge."),
  raised_after: integer("FLOCK wei raised after this buy."),
  ...eventPosition,
});

export const holderResponse = object({ account: address, balance: integer("$MT wei.") });

export const candleResponse = object({
  start: integer("Unix seconds the interval starts at."),
  open: integer("FLOCK wei per whole $MT."),
  high: integer("FLOCK wei per whole $MT."),
  low: integer("FLOCK wei per whole $MT."),
  close: integer("FLOCK wei per whole $MT."),
  volume_flock: integer("FLOCK wei traded."),
  trades: { type: "integer" },
});

export const offeringsResponse = object({ ...pageResponse(offeringResponse).properties, as_of: integer("Unix seconds of the latest indexed block.") });

export const offeringDetailResponse = object({
  ...offeringResponse.properties,
  seconds_left: { type: "integer" },
  candles: { type: "array", items: candleResponse },
  as_of: integer("Unix seconds of the latest indexed block."),
});

const rewardsResponse = object({
  epoch: integer("The epoch the root was published for."),
  root: hash,
  claims: {
    type: "array",
    items: object({
      token: address, cumulative_amount: integer("Token wei, cumulative."), claimed: integer("Token wei claimed so far."),
      claimable: integer("Token wei claimable now (from live_at for a pending root)."), proof: { type: "array", items: hash },
    }),
  },
});

export const portfolioResponse = object({
  address,
  positions: {
    type: "array",
    items: object({
      mt: address, ticker: { type: "string" }, state: { type: "string" }, mt_owed: integer("$MT wei bought, not claimed."),
      claimable_mt: integer("$MT wei claimable now."), first_buy_mt: integer("$MT wei of the issuer's first buy."),
      vesting_locked_mt: integer("$MT wei of the first buy still vesting."), flock_committed: integer("FLOCK wei (net of fees)."),
      refundable_flock: integer("FLOCK wei a failed raise refunds."),
    }),
  },
  refunds: { type: "array", items: object({ mt: address, ticker: nullable({ type: "string" }), flock: integer("FLOCK wei."), ...eventPosition }) },
  claims: { type: "array", items: object({ mt: address, ticker: nullable({ type: "string" }), mt_amount: integer("$MT wei."), ...eventPosition }) },
  stakes: {
    type: "array",
    items: object({
      mt: address, ticker: nullable({ type: "string" }), staked: integer("$MT wei."), discount_bps: { type: "integer" },
      cooling: integer("$MT wei unstaked, cooling down."), release_at: nullable(integer("Unix seconds.")), withdrawable: { type: "boolean" },
    }),
  },
  rewards: nullable({ ...rewardsResponse, description: "The live root (claims verify against it): the newest posted root past its challenge delay." }),
  pending_rewards: nullable({
    ...object({ ...rewardsResponse.properties, live_at: integer("Unix seconds the root goes live (claims from then on).") }),
    description: "The root waiting out its challenge delay, if any: its proofs claim from live_at on, unless it is vetoed.",
  }),
  reward_claims: { type: "array", items: object({ token: address, amount: integer("Token wei."), cumulative: integer("Token wei."), ...eventPosition }) },
  as_of: integer("Unix seconds of the latest indexed block."),
});

export const keyResponse = object({
  id: { type: "string" },
  name: nullable({ type: "string" }),
  prefix: { type: "string", description: "The key's first characters, to recognise it." },
  spend_cap_micro_usd: nullable(integer("micro-USD.")),
  spent_micro_usd: integer("micro-USD."),
  held_micro_usd: integer("micro-USD."),
  rpm_limit: nullable({ type: "integer" }),
  tpm_limit: nullable({ type: "integer" }),
  created_at: isoTime,
  revoked_at: nullable(isoTime),
});

export const createdKeyResponse = object({ key: keyResponse, secret: { type: "string", description: "The full API key: shown this once." } });

export const accountResponse = object({
  id: { type: "string" },
  name: { type: "string" },
  signed_in_wallet: address,
  balance_micro_usd: integer("micro-USD."),
  held_micro_usd: integer("micro-USD."),
  available_micro_usd: integer("micro-USD."),
  wallets: { type: "array", items: object({ address, bound_at: isoTime }) },
});
