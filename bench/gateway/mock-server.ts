// Child process: the tests' mock OpenAI upstream (@fomo/testkit/upstream, packages/testkit/src/mock-upstream.ts) on
// loopback, with a fixed latency and fixed token counts, not recording requests. Reports its URL.
import { parseArgs } from "node:util";
import { startMockUpstream } from "@fomo/testkit/upstream";

const { values } = parseArgs({
  options: {
    "latency-ms": { type: "string", default: "0" },
    "prompt-tokens": { type: "string", default: "10" },
    "completion-tokens": { type: "string", default: "16" },
  },
});
const mock = await startMockUpstream({
  latencyMs: Number(values["latency-ms"]),
  promptTokens: Number(values["prompt-tokens"]),
  completionTokens: Number(values["completion-tokens"]),
  record: false,
});
process.on("SIGTERM", () => void mock.close().then(() => process.exit(0)));
process.send!({ url: mock.url });
