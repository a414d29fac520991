// GET /v1/receipts/{request_id}: the caller's own signed receipt and, once its epoch is final, the
// Merkle proof against the usage root of its deployment's tree (what reportRevenue commits). The
// epoch is the chain's (config.epochClock), so the proof is against the root the keeper reports.
import { encodeUsageReceipt, epochWindowMs, usageReceiptToJson, type EpochClock, type UsageTree } from "@fomo/sdk";
import type { FastifyPluginAsync } from "fastify";
import { ApiError } from "../errors/index.ts";
import { deploymentUsageOf, usageReceiptOf, type UsageRecord } from "@fomo/ledger";
import { epochIsFinal, epochOfMs } from "../receipts/epoch.ts";

/** Trees of final epochs never change: the last few asked for are kept (an epoch's tree can be large). */
const CACHED_TREES = 8;

const notFound = (id: string) =>
  new ApiError(404, "invalid_request_error", `No usage receipt for request \`${id}\` in this account.`, { param: "request_id", code: "receipt_not_found" });

const chainUnavailable = () =>
  new ApiError(503, "api_error", "The chain does not answer yet, so the receipt's epoch is not known: try again shortly.", { code: "chain_unavailable" });

/** Registered only when the gateway has a receipt signer. */
export const receiptRoutes: FastifyPluginAsync = async (app) => {
  const { ledger, config } = app;
  const signer = app.receiptSigner!;
  const trees = new Map<string, UsageTree>();

  /** The final tree of the record's epoch and deployment. */
  const treeOf = async (clock: EpochClock, epoch: bigint, record: UsageRecord): Promise<UsageTree> => {
    const key = `${epoch}:${record.deployment}`;
    let tree = trees.get(key);
    if (!tree) {
      const records = await ledger.usage.listWindow({ ...epochWindowMs(clock, epoch), deployment: record.deployment });
      tree = deploymentUsageOf(usageReceiptOf(record).deployment, records).tree;
      trees.set(key, tree);
      if (trees.size > CACHED_TREES) trees.delete(trees.keys().next().value!);
    }
    return tree;
  };

  app.get<{ Params: { request_id: string } }>(
    "/v1/receipts/:request_id",
    { schema: { params: { type: "object", properties: { request_id: { type: "string", minLength: 1, maxLength: 512 } } } } },
    async (request) => {
      const key = request.apiKey!;
      const id = request.params.request_id;
      // The x-request-id the caller saw (scoped by its key, as the ledger stores it), or a receipt's full request id.
      const own = (record: UsageRecord | undefined) => (record?.accountId === key.accountId ? record : undefined);
      const record = own(await ledger.usage.get(`${key.id}:${id}`)) ?? own(await ledger.usage.get(id));
      if (!record) throw notFound(id);
      const signed = await signer.signed(ledger, record);
      const clock = await config.epochClock().catch((err: unknown) => {
        request.log.warn({ err }, "reading the epoch clock from chain failed");
        throw chainUnavailable();
      });
      // Usage settled before the schedule started is in no epoch: final as it is, and never committed.
      const epoch = epochOfMs(clock, record.createdAt);
      const final = epoch === null || epochIsFinal(clock, epoch, config.now());
      const tree = epoch !== null && final ? await treeOf(clock, epoch, record) : undefined;
      return {
        object: "usage_receipt",
        receipt: usageReceiptToJson(signed),
        encoded: encodeUsageReceipt(signed),
        signer: signer.address,
        domain: signer.domain,
        epoch: epoch === null ? null : Number(epoch),
        final,
        usage_root: tree?.root ?? null,
        proof: tree?.proof(record.requestId) ?? null,
      };
    },
  );
};
