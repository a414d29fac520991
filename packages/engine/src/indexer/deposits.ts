// USDC deposits (CreditDeposits.Deposited): each credits its ledger account exactly once, in the
// indexer's transaction, for its micro-USD rounded down (creditsOfDeposit, the protocol's favour).
// The event names the account by a bytes32: accountIdOf (keccak256) of the account's id or of its
// name. A deposit for no known account is kept as unclaimed (account_id null) and logged. A reorg
// that removes a credited deposit takes it back, or locks the account if it was already spent.
import { creditsOfDeposit, type Deployments } from "@fomo/sdk";
import type { Ledger, Schema } from "@fomo/ledger";
import type { Transaction } from "kysely";
import type { Hex } from "viem";
import type { IndexedLog, Projection } from "./projection.ts";
import { lower } from "./sources.ts";

type Trx = Transaction<Schema>;

/** Largest micro-USD amount a BIGINT column holds. */
const MAX_MICRO_USD = 2n ** 63n - 1n;

export interface DepositsLog {
  warn(message: string, details: Record<string, unknown>): void;
}

/** The deposit's idempotency key: chain id, transaction and log index. */
export function depositKey(chainId: number, txHash: Hex, logIndex: number | bigint): string {
  return `deposit:${chainId}:${txHash.toLowerCase()}:${logIndex}`;
}

/**
 * The ref a deposit is credited under: its key, and after n reversals by reorgs (the deposit came
 * back in another block) `key:n`, since a ref is credited at most once.
 */
async function creditRef(trx: Trx, key: string): Promise<string> {
  const { n } = await trx
    .selectFrom("reorged_deposits")
    .select((eb) => eb.fn.countAll<bigint | number | string>().as("n"))
    .where("deposit_key", "=", key)
    .where("outcome", "=", "reversed")
    .executeTakeFirstOrThrow();
  return BigInt(n) === 0n ? key : `${key}:${BigInt(n)}`;
}

export function depositsProjection(options: { ledger: Ledger; deployments: Deployments; log: DepositsLog }): Projection {
  const { ledger, deployments, log } = options;
  const creditDeposits = lower(deployments.contracts.creditDeposits);
  return {
    name: "deposits",
    tables: ["chain_deposits"],
    async apply(trx, event: IndexedLog) {
      if (event.eventName !== "Deposited" || lower(event.address) !== creditDeposits) return;
      const { depositId, accountId: accountKey, from, amount } = event.args as { depositId: bigint; accountId: Hex; from: Hex; amount: bigint };
      const microUsd = creditsOfDeposit(amount, deployments.usdcDecimals);
      const account = await accountOf(trx, accountKey);
      const credited = microUsd > 0n && microUsd <= MAX_MICRO_USD ? account : undefined;
      await trx
        .insertInto("chain_deposits")
        .values({
          chain_id: BigInt(event.chainId),
          block_number: event.blockNumber,
          block_hash: event.blockHash,
          tx_hash: event.txHash,
          log_index: BigInt(event.logIndex),
          deposit_id: depositId.toString(),
          account_key: accountKey.toLowerCase(),
          depositor: from.toLowerCase(),
          amount: amount.toString(),
          micro_usd: microUsd <= MAX_MICRO_USD ? microUsd : MAX_MICRO_USD,
          account_id: credited ?? null,
        })
        .execute();
      const key = depositKey(event.chainId, event.txHash, event.logIndex);
      if (credited === undefined) {
        log.warn("unclaimed USDC deposit: no ledger account for its account id", {
          deposit: key, accountKey, amount: amount.toString(), known: account !== undefined,
        });
        return;
      }
      await ledger.credits.addIn(trx, {
        accountId: credited,
        amount: microUsd,
        ref: await creditRef(trx, key),
        memo: `USDC deposit #${depositId} from ${from.toLowerCase()}`,
      });
    },
    async rollback(trx, { chainId, ancestor }) {
      const removed = await trx
        .selectFrom("chain_deposits")
        .select(["tx_hash", "log_index", "account_id"])
        .where("chain_id", "=", BigInt(chainId))
        .where("block_number", ">", ancestor)
        .where("account_id", "is not", null)
        .orderBy("block_number")
        .orderBy("log_index")
        .execute();
      for (const row of removed) {
        const key = depositKey(chainId, row.tx_hash as Hex, row.log_index);
        const outcome = await ledger.credits.reverseDepositIn(trx, { ref: await creditRef(trx, key), depositKey: key });
        if (outcome?.outcome === "locked") {
          log.warn("a reorg removed a USDC deposit already spent: account locked for an operator", {
            deposit: key, accountId: outcome.accountId, amount: outcome.amount.toString(),
          });
        }
      }
    },
  };
}

/** The ledger account a Deposited event's bytes32 names, by its id or (else) its name: indexed lookups (0006). */
async function accountOf(trx: Trx, accountKey: Hex): Promise<string | undefined> {
  const wanted = accountKey.toLowerCase();
  for (const column of ["deposit_key", "name_deposit_key"] as const) {
    const found = await trx.selectFrom("accounts").select("id").where(column, "=", wanted).executeTakeFirst();
    if (found !== undefined) return found.id;
  }
  return undefined;
}
