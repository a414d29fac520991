// The bytes32 a CreditDeposits.Deposited event names its account by: the SDK's accountIdOf
// (keccak256) of the account's id, or of its name. Stored on the account (0006_account_deposit_key)
// so that crediting a deposit is one indexed lookup, not a hash of every account.
import { accountIdOf } from "@fomo/sdk";

export interface AccountDepositKeys {
  /** accountIdOf(id): lower-case 0x bytes32. */
  deposit_key: string;
  /** accountIdOf(name). */
  name_deposit_key: string;
}

export function accountDepositKeys(account: { id: string; name: string }): AccountDepositKeys {
  return { deposit_key: accountIdOf(account.id).toLowerCase(), name_deposit_key: accountIdOf(account.name).toLowerCase() };
}
