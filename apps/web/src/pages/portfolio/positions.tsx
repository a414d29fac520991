// Positions per offering: $MT owed and claimable, the issuer's first buy still vesting and when it
// is all free, FLOCK committed and refundable, with Claim (graduated) and Refund (failed).
import { FIRST_BUY_VESTING } from "@fomo/sdk";
import { EmptyState } from "../../components/states.tsx";
import { Badge, Card, Stat } from "../../components/ui.tsx";
import { duration, flock, mt, when } from "../../lib/format.ts";
import { Link } from "../../lib/router.tsx";
import type { Address } from "../../lib/wire.ts";
import { ChainButton } from "./parts.tsx";
import { figure, type TokenBook } from "./tokens.ts";
import type { HoldingView } from "./wire.ts";

export function Positions({ positions, address, own, book }: { positions: HoldingView[]; address: Address; own: boolean; book: TokenBook }) {
  return (
    <Card title="Positions">
      {positions.length === 0 ? (
        <EmptyState title="No positions">
          Buys in an offering show here. <Link to="/" className="underline">Browse the marketplace</Link>
        </EmptyState>
      ) : (
        <ul className="flex flex-col gap-3">
          {positions.map((p) => (
            <li key={p.mt}>
              <Position position={p} address={address} own={own} graduatedAt={book.offering(p.mt)?.graduated_at ?? null} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Position({ position: p, address, own, graduatedAt }: { position: HoldingView; address: Address; own: boolean; graduatedAt: number | null }) {
  const claimable = BigInt(p.claimable_mt);
  const refundable = BigInt(p.refundable_flock);
  const firstBuy = BigInt(p.first_buy_mt);
  return (
    <article aria-label={`${p.ticker} position`} className="rounded-lg border border-line p-3 sm:p-4">
      <header className="mb-2 flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">
          <Link to={`/offerings/${p.mt}`} className="hover:underline">
            {p.ticker}
          </Link>
        </h3>
        <Badge tone={p.state}>{p.state}</Badge>
      </header>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="$MT owed" value={figure(p.mt_owed, p.ticker)} />
        <Stat label="Claimable" value={figure(claimable, p.ticker)} />
        {firstBuy > 0n && <Stat label="Vesting" value={figure(p.vesting_locked_mt, p.ticker)} hint={unlockHint(BigInt(p.vesting_locked_mt), graduatedAt)} />}
        <Stat label="FLOCK committed" value={figure(p.flock_committed, "FLOCK")} />
        <Stat label="Refundable" value={figure(refundable, "FLOCK")} />
      </dl>
      {own && (claimable > 0n || refundable > 0n) && (
        <div className="mt-3 flex flex-wrap gap-3">
          {claimable > 0n && (
            <ChainButton
              label="Claim"
              accessibleName={`Claim ${p.ticker}`}
              action={async ({ clients, deployments, calls, step }) => {
                step(`Claiming ${p.ticker}`);
                const { amount, hash } = await calls.claim(clients, deployments, { mt: p.mt, account: address });
                return { message: `Claimed ${mt(amount, p.ticker)}.`, hash };
              }}
            />
          )}
          {refundable > 0n && (
            <ChainButton
              label="Refund"
              accessibleName={`Refund ${p.ticker}`}
              action={async ({ clients, deployments, calls, step }) => {
                step(`Refunding ${p.ticker}`);
                const { amount, hash } = await calls.refund(clients, deployments, { mt: p.mt, account: address });
                return { message: `Refunded ${flock(amount)}.`, hash };
              }}
            />
          )}
        </div>
      )}
      {own && p.state === "raising" && <p className="mt-2 text-sm text-muted">Your $MT can be claimed once the offering graduates.</p>}
    </article>
  );
}

/** When the first buy is all free: linear over FIRST_BUY_VESTING from graduation (Launchpad._claimable). */
function unlockHint(locked: bigint, graduatedAt: number | null): string {
  if (locked === 0n) return "All unlocked";
  if (graduatedAt === null) return `Locked until graduation, then unlocks over ${duration(FIRST_BUY_VESTING)}`;
  return `Unlocks gradually until ${when(BigInt(graduatedAt) + FIRST_BUY_VESTING)}`;
}
