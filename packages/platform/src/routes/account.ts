// The signed-in account: GET /account (balance and wallets), its members (the wallets bound to it:
// each signs in to this account), binding another wallet (proved by a SIWE message that wallet
// signed), removing one (its sessions end with it), and ending every session of the account.
// Money is a decimal string of micro-USD.
import type { FastifyPluginAsync } from "fastify";
import { PlatformError } from "../errors.ts";
import { accountResponse } from "../responses.ts";
import { SESSION_COOKIE, requireSession } from "../session.ts";
import { addressSchema, iso, sessionRoute, signedMessageBody, type SignedMessage } from "./schemas.ts";

export const accountRoutes: FastifyPluginAsync = async (app) => {
  const { ledger, siwe } = app.platform;

  const walletsOf = async (accountId: string) =>
    (await ledger.wallets.list(accountId)).map((w) => ({ address: w.wallet, bound_at: iso(w.boundAt) }));

  app.get("/account", sessionRoute("account", "The signed-in account: balance, holds and wallets", { response: { 200: accountResponse } }), async (request) => {
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

  app.get("/account/members", sessionRoute("account", "Members: the wallets that sign in to this account, with their live sessions"), async (request) => {
    const session = await requireSession(request);
    const live = await ledger.sessions.countLive(session.accountId);
    const wallets = await ledger.wallets.list(session.accountId);
    return {
      data: wallets.map((w) => ({
        address: w.wallet,
        bound_at: iso(w.boundAt),
        // `siwe:<hash>` proofs are signatures; `cli` and `migrated` bindings were made by an operator.
        proved_by: w.proof.startsWith("siwe:") ? "signature" : w.proof,
        live_sessions: live.get(w.wallet) ?? 0,
        you: w.wallet === session.wallet,
      })),
      next_cursor: null,
    };
  });

  app.get("/account/wallets", sessionRoute("account", "The wallets bound to the account (their stakes earn its discount)"), async (request) => {
    const session = await requireSession(request);
    return { wallets: await walletsOf(session.accountId) };
  });

  app.post<{ Body: SignedMessage }>(
    "/account/wallets",
    sessionRoute("account", "Bind another wallet (a member), proved by a SIWE message it signed", { body: signedMessageBody }),
    async (request) => {
      const session = await requireSession(request);
      const { wallet, proof } = await siwe.verify(request.body.message, request.body.signature);
      // WalletBoundElsewhere → 409: a wallet's stake earns one account its discount.
      await ledger.wallets.bind({ accountId: session.accountId, wallet, proof });
      return { wallets: await walletsOf(session.accountId) };
    },
  );

  app.delete<{ Params: { address: string } }>(
    "/account/wallets/:address",
    sessionRoute("account", "Remove a member: unbind its wallet and end its sessions", {
      params: { type: "object", required: ["address"], properties: { address: addressSchema } },
    }),
    async (request) => {
      const session = await requireSession(request);
      const wallet = request.params.address.toLowerCase();
      // Removing the wallet you are signed in with would lock you out mid-session: sign in with another first.
      if (wallet === session.wallet) throw new PlatformError(409, "own_wallet", "You are signed in with this wallet: sign in with another member's wallet to remove it.");
      if (!(await ledger.wallets.unbind(session.accountId, wallet))) throw new PlatformError(404, "not_found", `Wallet ${wallet} is not bound to this account.`);
      const ended = await ledger.sessions.revokeAccount(session.accountId, wallet);
      return { removed: wallet, sessions_ended: ended, wallets: await walletsOf(session.accountId) };
    },
  );

  app.delete("/account/sessions", sessionRoute("account", "End every session of the account, this one included"), async (request, reply) => {
    const session = await requireSession(request);
    const ended = await ledger.sessions.revokeAccount(session.accountId);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return { sessions_ended: ended };
  });
};
