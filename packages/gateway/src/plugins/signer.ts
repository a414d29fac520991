// The usage-receipt signer as the decorated `receiptSigner`: it signs every billed request's receipt
// and GET /v1/receipts/{id} serves them; without one, no receipts.
import fp from "fastify-plugin";
import type { ReceiptSigner } from "../receipts/index.ts";

declare module "fastify" {
  interface FastifyInstance {
    receiptSigner: ReceiptSigner | undefined;
  }
}

export const signerPlugin = fp<{ signer?: ReceiptSigner | undefined }>(
  async (app, { signer }) => {
    app.decorate("receiptSigner", signer);
  },
  { name: "fomo-signer" },
);
