// CSRF defence for every state-changing route (POST, PUT, PATCH, DELETE), in three layers:
// 1. the session cookie is SameSite=Strict (session.ts): a browser never attaches it to a request
//    another site starts;
// 2. a custom request header, X-FOMO-CSRF, is required: an HTML form, a link or an image cannot set
//    one, and a script on another origin can only send one after a CORS preflight this server never
//    approves (it sends no Access-Control-Allow-* headers);
// 3. Sec-Fetch-Site, which browsers send on every request, must not say cross-site.
// The Stripe webhook opts out (`config: { csrf: false }`): Stripe is a server, carries no cookie, and
// its requests are authenticated by their signature instead.
import type { FastifyRequest } from "fastify";
import { csrfRefused } from "./errors.ts";

export const CSRF_HEADER = "x-fomo-csrf";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const ALLOWED_FETCH_SITES = new Set(["same-origin", "same-site", "none"]);

declare module "fastify" {
  interface FastifyContextConfig {
    /** false: the route authenticates its caller otherwise and takes cross-site requests (the Stripe webhook). */
    csrf?: boolean;
  }
}

export async function checkCsrf(request: FastifyRequest): Promise<void> {
  if (SAFE_METHODS.has(request.method) || request.routeOptions.config?.csrf === false) return;
  const fetchSite = request.headers["sec-fetch-site"];
  if (typeof fetchSite === "string" && !ALLOWED_FETCH_SITES.has(fetchSite)) throw csrfRefused(`the browser says it comes from a ${fetchSite} page`);
  const marker = request.headers[CSRF_HEADER];
  if (typeof marker !== "string" || marker.length === 0) throw csrfRefused(`no ${CSRF_HEADER} header`);
}
