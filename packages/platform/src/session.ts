// The session cookie: set at sign-in, read by every route that needs a signed-in account.
import type { Session } from "@fomo/ledger";
import type { FastifyReply, FastifyRequest } from "fastify";
import { unauthenticated } from "./errors.ts";

export const SESSION_COOKIE = "fomo_session";

export async function requireSession(request: FastifyRequest): Promise<Session> {
  const token = request.cookies[SESSION_COOKIE];
  const session = token ? await request.server.platform.ledger.sessions.authenticate(token) : undefined;
  if (!session) throw unauthenticated();
  return session;
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: number): void {
  const { secureCookie } = reply.server.platform.session;
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: secureCookie,
    // Strict: the session never rides on a request another site starts (no CSRF on the POST routes).
    sameSite: "strict",
    path: "/",
    expires: new Date(expiresAt),
  });
}
