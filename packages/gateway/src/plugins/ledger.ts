// The ledger as a decorated service: every route and plugin that reads or writes money uses `app.ledger`.
import fp from "fastify-plugin";
import type { Ledger } from "@fomo/ledger";

declare module "fastify" {
  interface FastifyInstance {
    ledger: Ledger;
  }
}

export const ledgerPlugin = fp<{ ledger: Ledger }>(
  async (app, { ledger }) => {
    app.decorate("ledger", ledger);
  },
  { name: "fomo-ledger" },
);
