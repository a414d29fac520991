// Staker discounts as a decorated service: `discountFor(key, served)`, the basis points off a request.
import fp from "fastify-plugin";
import type { ServedModel } from "../catalog/index.ts";
import type { AuthenticatedKey } from "@fomo/ledger";
import { PLATFORM_DEPLOYMENT } from "../pricing/discounts.ts";

/** The staker discount of a request (pricing/discounts.ts StakeDiscounts). */
export interface DiscountSource {
  discountBps(wallets: readonly string[], deployment: string): Promise<number>;
}

declare module "fastify" {
  interface FastifyInstance {
    /** The account's staker discount on the model's deployment (0 without a discount source). */
    discountFor(key: AuthenticatedKey, served: ServedModel): Promise<number>;
  }
}

export const discountsPlugin = fp<{ discounts?: DiscountSource | undefined }>(
  async (app, { discounts }) => {
    const { ledger } = app;
    // Platform models never discount (no wallet read either).
    app.decorate("discountFor", async (key: AuthenticatedKey, served: ServedModel): Promise<number> => {
      const deployment = served.deployment ?? PLATFORM_DEPLOYMENT;
      if (!discounts || deployment === PLATFORM_DEPLOYMENT) return 0;
      const wallets = await ledger.wallets.list(key.accountId);
      return discounts.discountBps(wallets.map((w) => w.wallet), deployment);
    });
  },
  { name: "fomo-discounts", dependencies: ["fomo-ledger"] },
);
