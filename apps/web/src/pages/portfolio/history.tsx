// Refunds, $MT claims and reward claims, newest first, each with its transaction.
import { EmptyState } from "../../components/states.tsx";
import { Card } from "../../components/ui.tsx";
import { amount, when } from "../../lib/format.ts";
import type { Hex } from "../../lib/wire.ts";
import { Table, TxHash, type Column } from "./parts.tsx";
import type { TokenBook } from "./tokens.ts";
import type { PortfolioView } from "./wire.ts";

interface Entry {
  kind: "Refund" | "Claim" | "Reward claim";
  what: string;
  block: bigint;
  logIndex: number;
  timestamp: string;
  tx: Hex;
}

export function historyOf(p: PortfolioView, book: TokenBook): Entry[] {
  const entries: Entry[] = [
    ...p.refunds.map((r) => ({ kind: "Refund" as const, what: `${amount(r.flock)} FLOCK from ${r.ticker ?? book.symbol(r.mt)}`, block: BigInt(r.block_number), logIndex: r.log_index, timestamp: r.timestamp, tx: r.tx_hash })),
    ...p.claims.map((c) => ({ kind: "Claim" as const, what: `${amount(c.mt_amount)} ${c.ticker ?? book.symbol(c.mt)}`, block: BigInt(c.block_number), logIndex: c.log_index, timestamp: c.timestamp, tx: c.tx_hash })),
    ...p.reward_claims.map((c) => ({ kind: "Reward claim" as const, what: `${amount(c.amount)} ${book.symbol(c.token)}`, block: BigInt(c.block_number), logIndex: c.log_index, timestamp: c.timestamp, tx: c.tx_hash })),
  ];
  return entries.sort((a, b) => (a.block === b.block ? b.logIndex - a.logIndex : a.block < b.block ? 1 : -1));
}

const HISTORY_COLUMNS: readonly Column[] = [
  { label: "What" },
  { label: "Amount" },
  { label: "When", className: "hidden sm:table-cell" },
  { label: "Transaction" },
];

export function History({ portfolio, book }: { portfolio: PortfolioView; book: TokenBook }) {
  const entries = historyOf(portfolio, book);
  return (
    <Card title="History">
      {entries.length === 0 ? (
        <EmptyState title="No claims or refunds yet" />
      ) : (
        <Table caption="Refunds, claims and reward claims, newest first" columns={HISTORY_COLUMNS}>
          {entries.map((e) => (
            <tr key={`${e.tx}-${e.logIndex}`} className="border-t border-line">
              <td className="py-2 pr-3">{e.kind}</td>
              <td className="py-2 pr-3 tabular-nums">{e.what}</td>
              <td className="hidden py-2 pr-3 text-muted sm:table-cell">{when(e.timestamp)}</td>
              <td className="py-2"><TxHash hash={e.tx} /></td>
            </tr>
          ))}
        </Table>
      )}
    </Card>
  );
}
