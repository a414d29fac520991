// The table of the API's routes (`app.apiRoutes`, what the tests of every route are built from) and,
// registered after every route, the 405 answers: a known path asked with another method gets the
// methods it has, not a 404.
import fp from "fastify-plugin";
import { ApiError } from "../errors/index.ts";

/** A route of the API as registered. */
export interface ApiRoute {
  method: string;
  url: string;
  /** Served only to a valid API key (every /v1 route). */
  authenticated: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route of the API, HEAD and the 405 answers aside. */
    apiRoutes: readonly ApiRoute[];
  }
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

/** Marks the 405 routes in their route config, so the table leaves them out. */
const METHOD_NOT_ALLOWED = "methodNotAllowed";

export const apiRoutesPlugin = fp(
  async (app) => {
    const routes: ApiRoute[] = [];
    app.addHook("onRoute", (route) => {
      if ((route.config as Record<string, unknown> | undefined)?.[METHOD_NOT_ALLOWED]) return;
      for (const method of [route.method].flat()) {
        if (method === "HEAD") continue;
        routes.push({ method, url: route.url, authenticated: route.url.startsWith("/v1/") || route.url === "/v1" });
      }
    });
    app.decorate("apiRoutes", routes);
  },
  { name: "fomo-api-routes" },
);

/** Registered last: the 405 routes of every path in the table. */
export const methodNotAllowedPlugin = fp(
  async (app) => {
    const methodsByUrl = new Map<string, string[]>();
    for (const { url, method } of app.apiRoutes) methodsByUrl.set(url, [...(methodsByUrl.get(url) ?? []), method]);
    for (const [url, methods] of methodsByUrl) {
      const allowed = methods.includes("GET") ? [...methods, "HEAD"] : methods;
      const others = METHODS.filter((m) => !allowed.includes(m));
      app.route({
        method: others,
        url,
        config: { [METHOD_NOT_ALLOWED]: true },
        handler: async (request, reply) => {
          const api = new ApiError(405, "invalid_request_error", `Method ${request.method} is not allowed on ${url}; use ${allowed.join(", ")}.`, {
            code: "method_not_allowed",
          });
          reply.code(405).header("allow", allowed.join(", ")).send(api.body());
        },
      });
    }
  },
  { name: "fomo-method-not-allowed", dependencies: ["fomo-api-routes"] },
);
