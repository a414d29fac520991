// GET /account (the signed-in account: balance and wallets) and POST /account/wallets (bind another
// wallet, proved by a SIWE message that wallet signed). Money is a decimal string of micro-USD.
import type { FastifyPluginAsync } from "fastify";
import { requireSession } from "../session.ts";
import { signedMessageBody, type SignedMessage } from "./schemas.ts";

export const accountRoutes: FastifyPluginAsync = async (app) => {
  const { ledger, siwe } = app.platform;

  const walletsOf = async (accountId: string) =>
    (await ledger.wallets.list(accountId)).map((w) => ({ address: w.wallet, bound_at: new Date(w.boundAt).toISOString() }));

  app.get("/account", async (request) => {
    const session = await requireSession(request);
    const account = await ledger.accounts.get(session.accountId);
    return {
      id: account.id,
      name: account.name,
      signed_in_wallet: session.wallet,
      balance_micro_usd: account.balance.toString(),
      held_micro_usd: account.held.toString(),
      available_micro_usd: account.available.toString(),
      wallets: await walletsOf(account.id),
    };
  });

  app.post<{ Body: SignedMessage }>("/account/wallets", { schema: { body: signedMessageBody } }, async (request) => {
    const session = await requireSession(request);
    const { wallet, proof } = await siwe.verify(request.body.message, request.body.signature);
    // WalletBoundElsewhere → 409: a wallet's stake earns one account its discount.
    await ledger.wallets.bind({ accountId: session.accountId, wallet, proof });
    return { wallets: await walletsOf(session.accountId) };
  });
};
