// Child process: node-llama-cpp called directly, the baseline of the local-model figure. Loads the
// model with the gateway's own settings (sharedLlama: CPU, threads 1; a context of 4 sequences of
// 512 tokens, as LocalBackend.create makes by default), then answers each IPC message
// {prompt, maxTokens} with one greedy generation: {tokens, text}. It does the model work the gateway
// does and nothing else: BOS in front of the prompt; the state of the previous run's common prefix
// kept, as LocalBackend (and LlamaCompletion) keep it, so both sides evaluate the same tokens; stop
// at the end-of-text token (EOG, or BOS for llama2.c models), counted as a sampled token as the
// gateway bills it. Timing and CPU time are taken by the parent, as for the gateway.
import { DEFAULT_MODEL_FILE, findModelFile, modelSearchPath, readEnv, sharedLlama, verifiedModelFile } from "@fomo/gateway";

const llama = await sharedLlama();
// The same file, found and checked the same way, as the gateway it is compared with.
const model = await llama.loadModel({ modelPath: await verifiedModelFile(findModelFile(DEFAULT_MODEL_FILE, modelSearchPath(readEnv().modelsDir))) });
const context = await model.createContext({ contextSize: 512, sequences: 4, threads: 1 });
const sequence = context.getSequence();
const bos = model.tokens.shouldPrependBosToken && model.tokens.bos !== null ? model.tokens.bos : undefined;

async function generate(prompt: string, maxTokens: number): Promise<{ tokens: number; text: string }> {
  const promptTokens = model.tokenize(prompt);
  const input = bos === undefined ? promptTokens : [bos, ...promptTokens];
  await sequence.adaptStateToTokens(input.slice(0, -1), false);
  const output = [];
  for await (const token of sequence.evaluate(input.slice(sequence.nextTokenIndex), { temperature: 0, yieldEogToken: true })) {
    output.push(token);
    if (token === bos || model.isEogToken(token) || output.length >= maxTokens) break;
  }
  // With the prompt as context, as the gateway decodes: a leading space is kept.
  const text = model.detokenize(output.filter((t) => t !== bos && !model.isEogToken(t)), false, promptTokens);
  return { tokens: output.length, text };
}

process.on("message", (message: { prompt: string; maxTokens: number }) => {
  void generate(message.prompt, message.maxTokens).then((result) => process.send!(result));
});
process.on("SIGTERM", () => process.exit(0));
process.send!({ ready: true });
