// Rewards: this address's leaves in the latest published root (token, cumulative, claimed,
// claimable, Merkle proof), each claimable alone or all in one click. RewardsDistributor has no
// multi-claim, so "Claim all" sends one claim per token with something to claim, in turn, and says
// what was paid. A root posted but still in its challenge delay cannot be claimed against yet: the
// platform serves the live root and the pending one apart (a claim after the delay writes the pending
// one live itself).
import type { Clients, Deployments } from "@fomo/sdk";
import { useState } from "react";
import { EmptyState } from "../../components/states.tsx";
import { ActionStatus, Button, Card } from "../../components/ui.tsx";
import { loadErrorDecoder, readable, useChainAction, useClients } from "../../lib/chainAction.ts";
import { amount, duration, short, when } from "../../lib/format.ts";
import { useNetwork } from "../../lib/network.tsx";
import type { Address, Hex } from "../../lib/wire.ts";
import { usePortfolioCalls, type PortfolioCalls } from "./chain.ts";
import { ChainButton, Table, type Column } from "./parts.tsx";
import type { TokenBook } from "./tokens.ts";
import type { PortfolioView, RewardClaimView, RewardLeafView, RewardsView } from "./wire.ts";

/** Whether the rewards shown can be claimed now; `newer`, a later root still in its challenge period. */
export type RootReadiness = { ready: true; newer?: { epoch: string; liveAt: bigint } } | { ready: false; liveAt: bigint };

type PendingRewardsView = NonNullable<PortfolioView["pending_rewards"]>;

/** `view` with claimed and claimable brought up to the claims made since (the highest cumulative claimed per token). */
function withClaims(view: RewardsView, claims: readonly RewardClaimView[]): RewardsView {
  const claimed = new Map<string, bigint>();
  for (const c of claims) {
    const k = c.token.toLowerCase();
    if ((claimed.get(k) ?? 0n) < BigInt(c.cumulative)) claimed.set(k, BigInt(c.cumulative));
  }
  return {
    ...view,
    claims: view.claims.map((leaf) => {
      const cumulative = BigInt(leaf.cumulative_amount);
      const since = claimed.get(leaf.token.toLowerCase()) ?? 0n;
      const paid = since > BigInt(leaf.claimed) ? since : BigInt(leaf.claimed);
      return { ...leaf, claimed: String(paid), claimable: String(cumulative > paid ? cumulative - paid : 0n) };
    }),
  };
}

/**
 * The rewards to show and whether they can be claimed now: the live root's (the platform serves the
 * one claims verify against), with a newer root in its challenge period mentioned; with no live root
 * yet, the pending one, claimable from its live_at (a claim after it writes the root live itself).
 */
function claimableRewards(
  live: RewardsView | null,
  pending: PendingRewardsView | null,
  claims: readonly RewardClaimView[],
  now: bigint,
): { view: RewardsView | null; readiness: RootReadiness | undefined } {
  if (live) {
    const newer = pending ? { newer: { epoch: pending.epoch, liveAt: BigInt(pending.live_at) } } : {};
    return { view: withClaims(live, claims), readiness: { ready: true, ...newer } };
  }
  if (!pending) return { view: null, readiness: undefined };
  const liveAt = BigInt(pending.live_at);
  return { view: withClaims(pending, claims), readiness: liveAt <= now ? { ready: true } : { ready: false, liveAt } };
}

const claimableOf = (leaf: RewardLeafView) => BigInt(leaf.claimable);

async function claimLeaf(calls: PortfolioCalls, clients: Clients, deployments: Deployments, account: Address, leaf: RewardLeafView) {
  return calls.claimReward(clients, deployments, { account, token: leaf.token, cumulativeAmount: BigInt(leaf.cumulative_amount), proof: leaf.proof });
}

const LEAF_COLUMNS: readonly Column[] = [
  { label: "Token" },
  { label: "Earned", className: "hidden text-right sm:table-cell" },
  { label: "Claimed", className: "text-right" },
  { label: "Claimable", className: "text-right" },
];

export function Rewards({ live, pending, claims, address, own, now, book }: {
  live: RewardsView | null;
  pending: PendingRewardsView | null;
  claims: readonly RewardClaimView[];
  address: Address;
  own: boolean;
  now: bigint;
  book: TokenBook;
}) {
  const { view: rewards, readiness } = claimableRewards(live, pending, claims, now);
  const leaves = rewards?.claims ?? [];
  const due = leaves.filter((l) => claimableOf(l) > 0n);
  const ready = readiness?.ready === true;
  return (
    <Card
      title="Rewards"
      // Kept once all is claimed (disabled), so the outcome of the last claim stays in view.
      actions={own && leaves.length > 0 ? <ClaimAll leaves={due} address={address} book={book} disabled={!ready || due.length === 0} /> : undefined}
    >
      {!rewards || leaves.length === 0 ? (
        <EmptyState title="No rewards yet">
          Using models through the API and staking their $MT earn rewards each epoch, claimable once the epoch's root is published.
        </EmptyState>
      ) : (
        <>
          <p className="mb-3 text-sm text-muted">
            Epoch {rewards.epoch} root <span className="font-mono">{short(rewards.root)}</span>
            {readiness?.ready && readiness.newer && (
              <span className="ml-1">
                · epoch {readiness.newer.epoch}'s root is in its challenge period: claimable in {duration(readiness.newer.liveAt - now)}
              </span>
            )}
            {readiness && !readiness.ready && (
              <span className="ml-1 text-warn">
                {`· in its challenge period: claimable in ${duration(readiness.liveAt - now)} (${when(readiness.liveAt)})`}
              </span>
            )}
          </p>
          <Table caption={`Rewards of epoch ${rewards.epoch}'s root`} columns={own ? [...LEAF_COLUMNS, { label: "Action", srOnly: true }] : LEAF_COLUMNS}>
            {leaves.map((leaf) => {
              const symbol = book.symbol(leaf.token);
              return (
                <tr key={leaf.token} className="border-t border-line align-top">
                  <th scope="row" className="py-2 pr-3 font-medium">
                    {symbol}
                    <details className="font-normal">
                      <summary className="cursor-pointer text-xs text-muted">Proof ({leaf.proof.length})</summary>
                      <ol className="mt-1 max-w-[60vw] font-mono text-xs break-all sm:max-w-md">
                        {leaf.proof.length === 0 ? <li>None needed: the only leaf is the root.</li> : leaf.proof.map((h) => <li key={h}>{h}</li>)}
                      </ol>
                    </details>
                  </th>
                  <td className="hidden py-2 pr-3 text-right tabular-nums sm:table-cell">{amount(leaf.cumulative_amount)}</td>
                  <td className="py-2 pr-3 text-right tabular-nums">{amount(leaf.claimed)}</td>
                  <td className="py-2 pr-3 text-right font-semibold tabular-nums">{amount(leaf.claimable)}</td>
                  {own && (
                    <td className="py-2 text-right">
                      {claimableOf(leaf) > 0n && (
                        <ChainButton
                          label="Claim"
                          variant="secondary"
                          accessibleName={`Claim ${symbol} rewards`}
                          align="end"
                          disabled={!ready}
                          action={async ({ clients, deployments, calls, step }) => {
                            step(`Claiming ${symbol}`);
                            const { amount: paid, hash } = await claimLeaf(calls, clients, deployments, address, leaf);
                            return { message: `Claimed ${amount(paid)} ${symbol}.`, hash };
                          }}
                        />
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </Table>
        </>
      )}
    </Card>
  );
}

/** Every token with something to claim, one transaction each, in one click. */
function ClaimAll({ leaves, address, book, disabled }: { leaves: RewardLeafView[]; address: Address; book: TokenBook; disabled: boolean }) {
  const clients = useClients();
  const { deployments } = useNetwork();
  const calls = usePortfolioCalls();
  const { state, run, pending } = useChainAction();
  const [paid, setPaid] = useState<string[]>([]);
  const claimAll = () =>
    clients &&
    run(async (step) => {
      const done: string[] = [];
      setPaid(done);
      let hash: Hex | undefined;
      for (const [i, leaf] of leaves.entries()) {
        const symbol = book.symbol(leaf.token);
        step(`Claiming ${symbol} (${i + 1} of ${leaves.length})`);
        try {
          const sent = await claimLeaf(calls, clients, deployments, address, leaf);
          done.push(`${amount(sent.amount)} ${symbol}`);
          setPaid([...done]);
          hash = sent.hash;
        } catch (error) {
          // The tokens claimed before the failure are paid: say so beside the reason.
          if (done.length > 0) {
            await loadErrorDecoder();
            throw new Error(`Claimed ${done.join(", ")}; then ${symbol} failed: ${readable(error)}`);
          }
          throw error;
        }
      }
      return { message: `Claimed ${done.join(", ")}.`, ...(hash ? { hash } : {}) };
    });
  return (
    <div className="flex flex-col items-end gap-1">
      <Button onClick={() => void claimAll()} disabled={disabled || pending || !clients}>
        Claim all rewards
      </Button>
      <ActionStatus state={state} />
      {state.status === "success" && paid.length > 0 && (
        <ul aria-label="Rewards claimed" className="text-right text-sm">
          {paid.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
    </div>
  );
}
