// POST /auth/nonce, /auth/verify (Sign-In with Ethereum → session cookie), /auth/logout, and
// GET /auth/session: whether this browser is signed in, answered 200 either way (the page cannot read
// the httpOnly cookie, and asking an account route would log a 401 in every signed-out console).
// Signing in with a wallet bound to no account yet creates its account (named after the wallet).
import { AccountExists, WalletBoundElsewhere, type Ledger } from "@fomo/ledger";
import type { FastifyPluginAsync } from "fastify";
import { SESSION_COOKIE, sessionOf, setSessionCookie } from "../session.ts";
import { publicRoute, signedMessageBody, type SignedMessage } from "./schemas.ts";

export const authRoutes: FastifyPluginAsync = async (app) => {
  const { ledger, siwe, session } = app.platform;

  app.post("/auth/nonce", publicRoute("auth", "A single-use nonce for a Sign-In with Ethereum message"), async () => {
    const issued = await ledger.siweNonces.issue(siwe.nonceTtlMs);
    return { nonce: issued.nonce, expires_at: new Date(issued.expiresAt).toISOString() };
  });

  app.post<{ Body: SignedMessage }>(
    "/auth/verify",
    publicRoute("auth", "Sign in: a signed EIP-4361 message opens a session (httpOnly SameSite=Strict cookie)", { body: signedMessageBody }),
    async (request, reply) => {
      const { wallet, proof } = await siwe.verify(request.body.message, request.body.signature);
      const accountId = await accountOfWallet(ledger, wallet, proof);
      const created = await ledger.sessions.create({ accountId, wallet, ttlMs: session.ttlMs });
      setSessionCookie(reply, created.token, created.session.expiresAt);
      return { account_id: accountId, wallet, expires_at: new Date(created.session.expiresAt).toISOString() };
    },
  );

  app.get(
    "/auth/session",
    publicRoute("auth", "Whether the request carries a live session: {signed_in:false}, or the account, wallet and expiry"),
    async (request) => {
      const live = await sessionOf(request);
      return live
        ? { signed_in: true, account_id: live.accountId, wallet: live.wallet, expires_at: new Date(live.expiresAt).toISOString() }
        : { signed_in: false };
    },
  );

  app.post("/auth/logout", publicRoute("auth", "Sign out: the session is deleted (the cookie stops working at once)"), async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await ledger.sessions.revoke(token);
    reply.clearCookie(SESSION_COOKIE, { path: "/" });
    return { signed_out: true };
  });
};

/** The account a wallet signs in to: its binding's, or a new one (concurrent first sign-ins agree on one). */
async function accountOfWallet(ledger: Ledger, wallet: string, proof: string): Promise<string> {
  const bound = await ledger.wallets.find(wallet);
  if (bound) return bound.accountId;
  const name = `wallet:${wallet}`;
  let account = await ledger.accounts.findByName(name);
  if (!account) {
    try {
      account = await ledger.accounts.create(name);
    } catch (error) {
      if (!(error instanceof AccountExists)) throw error;
      account = (await ledger.accounts.findByName(name))!;
    }
  }
  try {
    return (await ledger.wallets.bind({ accountId: account.id, wallet, proof })).accountId;
  } catch (error) {
    // Bound meanwhile (by a concurrent sign-in, or to another account): the binding decides.
    if (!(error instanceof WalletBoundElsewhere)) throw error;
    return (await ledger.wallets.find(wallet))!.accountId;
  }
}
