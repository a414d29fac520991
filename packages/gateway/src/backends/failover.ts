// Several backends serving the same model id, tried in order: the next one is used only when the
// current one failed before the first byte with a transient error (errors.ts isTransient), so a
// client is never served twice and a half-delivered stream is never restarted elsewhere.
import { BackendError, isTransient } from "./errors.ts";
import type { Backend, Capability, CompletionResult, InferenceRequest, ModelInfo, ProgressListener, StreamEvent, TokenCount } from "./types.ts";

export class FailoverBackend implements Backend {
  readonly name: string;
  readonly models: readonly ModelInfo[];
  readonly backends: readonly Backend[];
  /** Only what every backend honours: any of them may end up serving. */
  readonly capabilities: ReadonlySet<Capability>;

  constructor(modelId: string, backends: readonly Backend[]) {
    const infos = backends.map((b) => b.models.find((m) => m.id === modelId));
    if (backends.length === 0 || infos.some((m) => m === undefined)) {
      throw new Error(`every failover backend must serve ${modelId}`);
    }
    const served = infos as ModelInfo[];
    this.backends = backends;
    this.name = `failover:${modelId}[${backends.map((b) => b.name).join(",")}]`;
    // The limits every backend accepts, so whichever one serves, the API's validation still holds.
    const charsPerToken = served.map((m) => m.maxCharsPerToken);
    this.models = [
      {
        id: modelId,
        contextLength: Math.min(...served.map((m) => m.contextLength)),
        maxOutputTokens: Math.min(...served.map((m) => m.maxOutputTokens)),
        // A bound only when every backend has one: the loosest, so no backend's tokens are underestimated.
        ...(charsPerToken.every((c) => c !== undefined) ? { maxCharsPerToken: Math.max(...charsPerToken) } : {}),
      },
    ];
    const [first, ...rest] = backends.map((b) => b.capabilities ?? new Set<Capability>());
    this.capabilities = new Set([...first!].filter((c) => rest.every((set) => set.has(c))));
  }

  /** The largest count, so the hold covers whichever backend ends up serving. */
  async countPromptTokens(req: InferenceRequest): Promise<TokenCount> {
    const counts = await Promise.all(this.backends.map((b) => b.countPromptTokens(req)));
    const tokens = Math.max(...counts.map((c) => c.tokens));
    return { tokens, exact: counts.every((c) => c.exact && c.tokens === tokens) };
  }

  async complete(req: InferenceRequest, signal?: AbortSignal, progress?: ProgressListener): Promise<CompletionResult> {
    let lastError: unknown;
    for (const backend of this.backends) {
      try {
        return await backend.complete(req, signal, progress);
      } catch (err) {
        if (!isTransient(err)) throw err;
        lastError = err;
      }
    }
    throw lastError;
  }

  async *stream(req: InferenceRequest, signal?: AbortSignal): AsyncGenerator<StreamEvent> {
    let lastError: unknown;
    for (const backend of this.backends) {
      const events = backend.stream(req, signal)[Symbol.asyncIterator]();
      let first: IteratorResult<StreamEvent>;
      try {
        first = await events.next();
      } catch (err) {
        if (!isTransient(err)) throw err;
        lastError = err;
        continue;
      }
      // Committed to this backend: everything after its first event is passed through as is.
      try {
        for (let step = first; !step.done; step = await events.next()) yield step.value;
      } finally {
        await events.return?.();
      }
      return;
    }
    throw lastError ?? new BackendError("internal", "no backend to fail over to", { beforeFirstByte: true });
  }

  /** The wrapped backends may be shared between routes: whoever created them closes them. */
  async close(): Promise<void> {}
}

/**
 * The backend to call for each model id: the one serving it, or a FailoverBackend over all that
 * serve it, in the order given (the first listed is preferred).
 */
export function routeModels(backends: readonly Backend[]): Map<string, Backend> {
  const serving = new Map<string, Backend[]>();
  for (const backend of backends) {
    for (const { id } of backend.models) serving.set(id, [...(serving.get(id) ?? []), backend]);
  }
  const routes = new Map<string, Backend>();
  for (const [id, list] of serving) routes.set(id, list.length === 1 ? list[0]! : new FailoverBackend(id, list));
  return routes;
}
