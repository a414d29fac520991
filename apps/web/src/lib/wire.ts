// The platform API's JSON, as the browser receives it: snake_case, integer amounts as decimal
// strings (parse with BigInt, never Number), chain times as Unix seconds. The routes and their
// schemas are in docs/platform-api.md and /api/v1/openapi.json; these types name the fields the app reads.
import type { Deployments } from "@fomo/sdk";

export type Decimal = string;
export type Address = `0x${string}`;
export type Hex = `0x${string}`;

export type OfferingState = "raising" | "succeeded" | "failed" | "graduated";

export interface PositionView {
  block_number: Decimal;
  log_index: number;
  tx_hash: Hex;
  timestamp: Decimal;
}

export interface OfferingView {
  mt: Address;
  ticker: string;
  name: string;
  model_id: string;
  creator: Address;
  template_id: number;
  terms_id: number;
  metadata_uri: string;
  state: OfferingState;
  opens_at: number;
  closes_at: number;
  paused: boolean;
  paused_seconds: number;
  graduated_at: number | null;
  raised_flock: Decimal;
  raise_min_flock: Decimal;
  raise_max_flock: Decimal;
  progress_bps: Decimal;
  sold_mt: Decimal;
  /** FLOCK wei per whole $MT on the curve. */
  curve_price: Decimal;
  pool_price: Decimal | null;
  pair: Address | null;
  buys: number;
  launched: PositionView;
  /** FLOCK wei traded in the last 24 h (curve buys, then pool swaps). */
  volume_24h_flock: Decimal;
  /** Price × total supply, FLOCK wei. */
  market_cap_flock: Decimal;
}

export interface OfferingsPage {
  data: OfferingView[];
  next_cursor: string | null;
  as_of: Decimal;
}

export interface CandleView {
  start: Decimal;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume_flock: Decimal;
  trades: number;
}

export interface OfferingDetail extends OfferingView {
  seconds_left: number;
  candles: CandleView[];
  as_of: Decimal;
}

export interface TradeView extends PositionView {
  buyer: Address;
  flock_in: Decimal;
  net_flock: Decimal;
  mt_out: Decimal;
  base_fee: Decimal;
  surcharge: Decimal;
  raised_after: Decimal;
}

export interface HolderView {
  account: Address;
  balance: Decimal;
}

/** GET /network: what the app needs to reach the chain and the gateway (served by the platform). */
export interface NetworkView {
  chain_id: number;
  /** JSON-RPC the app reads the chain through and a dev wallet sends through. */
  rpc_url: string;
  /** The OpenAI-compatible gateway, ending in /v1. */
  gateway_url: string;
  /** The domain SIWE messages must name. */
  siwe_domain: string;
  epoch_seconds: number;
  /** A local development chain: the dev accounts may be used as wallets, time may be advanced. */
  local: boolean;
  dev_accounts: Address[];
  /** The chain's deployments document (addresses, roles, stablecoin decimals), as the SDK's actions take it. */
  deployments: Deployments;
}
