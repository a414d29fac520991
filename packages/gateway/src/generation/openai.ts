// OpenAI's response shapes (chat.completion, text_completion, their stream chunks, usage) and the
// SSE stream of a generation: the first event is awaited before committing to a 200, checkpoints are
// written as deltas go out, and the receipt rides on the last chunk (or on the error event).
import type { ServerResponse } from "node:http";
import type { FastifyReply } from "fastify";
import type { Backend, CompletionResult, InferenceRequest, StreamEvent, Usage } from "../backends/types.ts";
import { toApiError } from "../errors/index.ts";
import type { Kind } from "./admission.ts";
import type { Meter } from "./meter.ts";

/** Response header of a non-streamed request's usage receipt (compact form). */
export const RECEIPT_HEADER = "x-fomo-receipt";

export interface Ids {
  id: string;
  created: number;
  model: string;
}

const usageBody = (usage: Usage) => ({
  prompt_tokens: usage.inputTokens,
  completion_tokens: usage.outputTokens,
  total_tokens: usage.inputTokens + usage.outputTokens,
  // Part of prompt_tokens (OpenAI's shape), shown to the client, never billed on top of it.
  ...(usage.cachedInputTokens === undefined ? {} : { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } }),
});

export function completionBody(kind: Kind, ids: Ids, result: CompletionResult) {
  if (kind === "chat") {
    return {
      ...ids,
      object: "chat.completion",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: result.text, refusal: null },
          logprobs: null,
          finish_reason: result.finishReason,
        },
      ],
      usage: usageBody(result.usage),
    };
  }
  return {
    ...ids,
    object: "text_completion",
    choices: [{ index: 0, text: result.text, logprobs: null, finish_reason: result.finishReason }],
    usage: usageBody(result.usage),
  };
}

/** One SSE chunk of a streamed completion; `usage: null` on every chunk when the client asked for usage. */
function chunk(kind: Kind, ids: Ids, withUsage: boolean, text: string | null, finishReason: string | null, first = false) {
  const usage = withUsage ? { usage: null } : {};
  if (kind === "chat") {
    const delta = text === null ? {} : first ? { role: "assistant", content: text } : { content: text };
    return { ...ids, object: "chat.completion.chunk", choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...usage };
  }
  return { ...ids, object: "text_completion", choices: [{ index: 0, text: text ?? "", logprobs: null, finish_reason: finishReason }], ...usage };
}

const sse = (raw: ServerResponse, data: unknown) => raw.write(`data: ${typeof data === "string" ? data : JSON.stringify(data)}\n\n`);

export interface StreamOptions {
  kind: Kind;
  ids: Ids;
  /** stream_options.include_usage: `usage: null` on every chunk and a last chunk with the usage. */
  includeUsage: boolean;
  backend: Backend;
  inference: InferenceRequest;
  /** Aborts the generation (the client went away). */
  controller: AbortController;
  meter: Meter;
  /** A checkpoint every `every` deltas, each billing the prompt's tokens and the deltas so far. */
  checkpoint: { every: number; promptTokens: number };
}

/** Streams a generation as SSE once its first event arrived (an earlier failure is a plain HTTP error). */
export async function streamResponse(
  reply: FastifyReply,
  { kind, ids, includeUsage, backend, inference, controller, meter, checkpoint }: StreamOptions,
): Promise<void> {
  const iterator = backend.stream(inference, controller.signal)[Symbol.asyncIterator]();
  let first: IteratorResult<StreamEvent>;
  try {
    // Wait for the backend to start before committing to a 200: an early failure is a plain HTTP error.
    first = await iterator.next();
  } catch (error) {
    await meter.fail(error);
    if (meter.receipt) reply.header(RECEIPT_HEADER, meter.receipt);
    throw error;
  }
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": reply.request.id,
  });
  if (kind === "chat") sse(raw, chunk(kind, ids, includeUsage, "", null, true));
  let deltas = 0;
  try {
    for (let next = first; !next.done; next = await iterator.next()) {
      const event = next.value;
      if (event.type === "delta") {
        // The first delta is recorded before the client can see it: once anything was delivered, a
        // crash bills it (and the prompt). Then every `every` deltas, each at least one token.
        if (++deltas === 1) await meter.checkpoint(checkpoint.promptTokens, deltas);
        if (event.text !== "") sse(raw, chunk(kind, ids, includeUsage, event.text, null));
        if (deltas % checkpoint.every === 0) await meter.checkpoint(checkpoint.promptTokens, deltas);
        continue;
      }
      await meter.settle(event.result.usage, event.result.finishReason);
      // The receipt rides on the last chunk: the usage chunk when asked for, else the finish chunk.
      const receipt = meter.receipt ? { fomo_receipt: meter.receipt } : {};
      sse(raw, { ...chunk(kind, ids, includeUsage, null, event.result.finishReason), ...(includeUsage ? {} : receipt) });
      if (includeUsage) {
        sse(raw, { ...ids, object: kind === "chat" ? "chat.completion.chunk" : "text_completion", choices: [], usage: usageBody(event.result.usage), ...receipt });
      }
    }
    sse(raw, "[DONE]");
  } catch (error) {
    try {
      await meter.fail(error);
    } catch (meterError) {
      reply.log.error({ err: meterError }, "metering a failed stream failed");
    }
    // Headers are gone: the error travels as an SSE event (nobody reads it after a disconnect).
    if (!controller.signal.aborted) {
      const api = toApiError(error);
      if (api.status >= 500) reply.log.error({ err: error }, "stream failed");
      // What was produced is billed: its receipt comes in the error object (the openai client keeps it as `error.error`).
      const body = api.body();
      sse(raw, meter.receipt ? { error: { ...body.error, fomo_receipt: meter.receipt } } : body);
    }
  } finally {
    raw.end();
  }
}
