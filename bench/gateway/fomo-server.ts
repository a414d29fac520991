// Child process: our gateway as it runs in production (SQLite ledger in WAL mode in --data-dir,
// every settle awaiting its group-committed fsync, one pino log line per request on stdout,
// Prometheus metrics, a signed usage receipt on every response), either in front of an
// OpenAI-compatible upstream (--upstream URL, serving --model at the first catalog template's
// prices) or on the local model exactly as `./fomo gateway` starts it (--local). Creates an account
// with plenty of credits and one key, and reports {url, apiKey} (with --local also localModel: the
// served model's id, context length and longest token in characters).
import { parseArgs } from "node:util";
import { defaultCatalog } from "@fomo/sdk";
import pino from "pino";
import {
  buildGateway,
  createReceiptSigner,
  LocalBackend,
  modelSearchPath,
  OpenAICompatibleBackend,
  readEnv,
  routeModels,
  startGatewayServer,
  StaticCatalog,
  type Backend,
} from "@fomo/gateway";
import { Ledger, openDatabase } from "@fomo/ledger";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    upstream: { type: "string" },
    model: { type: "string", default: "mock-model" },
    local: { type: "boolean", default: false },
  },
});
const dataDir = values["data-dir"];
if (dataDir === undefined || (values.upstream === undefined) === !values.local) {
  throw new Error("usage: fomo-server.ts --data-dir DIR (--upstream URL [--model ID] | --local)");
}

let url: string;
let close: () => Promise<void>;
let localModel: Backend["models"][number] | undefined;
// What the library functions below used to read from the environment themselves.
const env = readEnv();
if (values.local) {
  const server = await startGatewayServer({ port: 0, dataDir, instanceId: "bench" });
  url = server.url;
  close = server.close;
  // The server keeps its backend to itself: a short-lived second one reads the same file's limits.
  const probe = await LocalBackend.create({ searchPath: modelSearchPath(env.modelsDir) });
  localModel = probe.models[0];
  await probe.close();
} else {
  const db = await openDatabase({ dataDir }, { sqliteSync: env.sqliteSync });
  const ledger = new Ledger(db, { instanceId: "bench" });
  const backend = new OpenAICompatibleBackend({ baseUrl: values.upstream!, apiKey: "sk-mock-upstream", models: [values.model] });
  const logger = pino({ name: "fomo-gateway" });
  const receipts = createReceiptSigner({ dataDir, logger, signingThread: env.receiptSigningThread });
  const app = await buildGateway({
    ledger,
    catalog: new StaticCatalog([{ id: values.model, pricing: defaultCatalog[0]!.pricing }], routeModels([backend])),
    receipts,
    logger,
  });
  url = await app.listen({ port: 0, host: "127.0.0.1" });
  close = async () => {
    await app.close();
    await receipts.close();
    await backend.close();
    await db.destroy();
  };
}

// The key's account, as `./fomo keys create` makes one (a second connection to the same SQLite file).
const db = await openDatabase({ dataDir });
const ledger = new Ledger(db);
const account = await ledger.accounts.create("bench");
await ledger.credits.add({ accountId: account.id, amount: 10n ** 12n /* $1M in micro-USD */, ref: "bench-credits" });
const { secret } = await ledger.keys.create({ accountId: account.id, name: "bench" });
await db.destroy();

process.on("SIGTERM", () => void close().then(() => process.exit(0)));
// A parent stopped while this server started never learns its pid: without this it would serve on, orphaned.
process.once("disconnect", () => void close().then(() => process.exit(0)));
process.send!({ url: `${url}/v1`, apiKey: secret, ...(localModel ? { localModel } : {}) });
