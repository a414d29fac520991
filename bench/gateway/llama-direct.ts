// Child process: node-llama-cpp called directly, the baseline of the local-model figure. Loads the
// model with the gateway's own settings (sharedLlama: CPU, threads 1; a context of 4 sequences of
// 512 tokens, as LocalBackend.create makes by default), then answers each IPC message
// {prompt, maxTokens} with one greedy generation: {tokens, ms, text}. Like the gateway it puts BOS
// in front of the prompt and stops at the end-of-text token (EOG, or BOS for llama2.c models), which
// it counts as a sampled token, as the gateway bills it.
import { DEFAULT_MODEL_FILE, findModelFile, sharedLlama } from "../../packages/gateway/src/backends/index.ts";

const llama = await sharedLlama();
const model = await llama.loadModel({ modelPath: findModelFile(DEFAULT_MODEL_FILE) });
const context = await model.createContext({ contextSize: 512, sequences: 4, threads: 1 });
const sequence = context.getSequence();
const bos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? model.tokens.bos : undefined;

async function generate(prompt: string, maxTokens: number): Promise<{ tokens: number; ms: number; text: string }> {
  const started = performance.now();
  const promptTokens = model.tokenize(prompt);
  await sequence.clearHistory();
  const output = [];
  for await (const token of sequence.evaluate(bos === undefined ? promptTokens : [bos, ...promptTokens], { temperature: 0, yieldEogToken: true })) {
    output.push(token);
    if (token === bos || model.isEogToken(token) || output.length >= maxTokens) break;
  }
  // With the prompt as context, as the gateway decodes: a leading space is kept.
  const text = model.detokenize(output.filter((t) => t !== bos && !model.isEogToken(t)), false, promptTokens);
  return { tokens: output.length, ms: performance.now() - started, text };
}

process.on("message", (message: { prompt: string; maxTokens: number }) => {
  void generate(message.prompt, message.maxTokens).then((result) => process.send!(result));
});
process.on("SIGTERM", () => process.exit(0));
process.send!({ ready: true });
