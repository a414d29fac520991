// The session cookie: set at sign-in, read by every route that needs a signed-in account. A session
// is a row of the ledger's sessions table: signing out, or ending the account's sessions, deletes it,
// and the cookie stops working at once.
import type { Session } from "@fomo/ledger";
import type { FastifyReply, FastifyRequest } from "fastify";
import { unauthenticated } from "./errors.ts";

export const SESSION_COOKIE = "fomo_session";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route needs a signed-in session: rate-limited per session rather than per IP (rate-limits.ts). */
    session?: boolean;
  }
}

/** One lookup per request, shared by the rate limiter and the route. */
const looked = new WeakMap<FastifyRequest, Promise<Session | undefined>>();

/** The live session the request's cookie stands for, if any. */
export function sessionOf(request: FastifyRequest): Promise<Session | undefined> {
  let session = looked.get(request);
  if (session === undefined) {
    const token = request.cookies[SESSION_COOKIE];
    session = token ? request.server.platform.ledger.sessions.authenticate(token) : Promise.resolve(undefined);
    looked.set(request, session);
  }
  return session;
}

export async function requireSession(request: FastifyRequest): Promise<Session> {
  const session = await sessionOf(request);
  if (!session) throw unauthenticated();
  return session;
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: number): void {
  const { secureCookie } = reply.server.platform.session;
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: secureCookie,
    // Strict: the session never rides on a request another site starts (csrf.ts adds the header check).
    sameSite: "strict",
    path: "/",
    expires: new Date(expiresAt),
  });
}
