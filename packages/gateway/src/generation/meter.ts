// Metering of one generation after its hold was reserved: checkpoints of what was served (what a
// crash bills), then exactly one settle (real usage, signed receipt) or release.
import type { FastifyBaseLogger } from "fastify";
import { BackendError } from "../backends/errors.ts";
import type { ProgressListener, Usage } from "../backends/types.ts";
import type { Ledger, UsageRecord } from "@fomo/ledger";
import type { GatewayMetrics } from "../plugins/metrics.ts";
import type { ReceiptSigner } from "../receipts/index.ts";

export interface MeterOptions {
  ledger: Ledger;
  /** The ledger's request id of the hold (scoped by key). */
  requestId: string;
  /** When the request started (`now()` time), for the usage record's latency. */
  started: number;
  now: () => number;
  metrics: GatewayMetrics;
  /** The served model's id, the label of the token metrics. */
  model: string;
  /** The tokens billed (0 when released), e.g. to give back the unused part of a TPM bucket. */
  onBilled: (tokens: number) => void;
  /** Signs the usage receipt of what is billed; no receipt without it. */
  receipts?: ReceiptSigner | undefined;
}

/** Settles or releases one request's hold, exactly once. */
export class Meter {
  #done = false;
  readonly #ledger: Ledger;
  readonly #requestId: string;
  readonly #started: number;
  readonly #now: () => number;
  readonly #metrics: GatewayMetrics;
  readonly #model: string;
  readonly #onBilled: (tokens: number) => void;
  readonly #receipts: ReceiptSigner | undefined;
  /** The signed usage receipt (compact form) once the request is billed and signed. */
  receipt: string | undefined;
  /** The usage record once the request is billed. */
  record: UsageRecord | undefined;

  /** Created right after the hold was reserved. */
  constructor({ ledger, requestId, started, now, metrics, model, onBilled, receipts }: MeterOptions) {
    this.#onBilled = onBilled;
    this.#receipts = receipts;
    this.#ledger = ledger;
    this.#requestId = requestId;
    this.#started = started;
    this.#now = now;
    this.#metrics = metrics;
    this.#model = model;
    metrics.holds.inc();
  }

  /** Tokens served so far, for crash recovery; a lower bound of the real usage. */
  async checkpoint(inputTokens: number, outputTokens: number): Promise<void> {
    if (this.#done) return;
    await this.#ledger.metering.checkpoint(this.#requestId, { inputTokens: BigInt(inputTokens), outputTokens: BigInt(outputTokens) });
  }

  /**
   * A backend's progress as checkpoints of a non-streamed generation, every `every` output tokens:
   * a crash then bills the tokens generated up to the last one, never more. The model does not wait
   * for them: one write at a time, and the newest progress reached meanwhile is written next. A
   * checkpoint that lands after the settle changes nothing (the hold is gone).
   */
  checkpointEvery(every: number, log: FastifyBaseLogger): ProgressListener {
    let writing = false;
    let next: Usage | undefined;
    const write = (usage: Usage) => {
      writing = true;
      this.checkpoint(usage.inputTokens, usage.outputTokens)
        .catch((err: unknown) => log.warn({ err }, "checkpoint failed"))
        .finally(() => {
          writing = false;
          const pending = next;
          next = undefined;
          if (pending && !this.#done) write(pending);
        });
    };
    return (usage) => {
      if (usage.outputTokens % every !== 0 || this.#done) return;
      if (writing) next = usage;
      else write(usage);
    };
  }

  async settle(usage: Usage, finishReason: string): Promise<UsageRecord> {
    this.#finish();
    this.#onBilled(usage.inputTokens + usage.outputTokens);
    this.#metrics.tokens.inc({ model: this.#model, direction: "input" }, usage.inputTokens);
    this.#metrics.tokens.inc({ model: this.#model, direction: "output" }, usage.outputTokens);
    const usageRecord = {
      inputTokens: BigInt(usage.inputTokens),
      outputTokens: BigInt(usage.outputTokens),
      source: usage.source,
      latencyMs: Math.max(0, Math.round(this.#now() - this.#started)),
      finishReason,
    };
    // The receipt is signed before the settling transaction and stored by it (Metering.settle's seal).
    const record = await this.#ledger.metering.settle(this.#requestId, usageRecord, this.#receipts ? { seal: this.#receipts.seal } : {});
    this.record = record;
    this.receipt = this.#receipts?.compact(record);
    return record;
  }

  /** After a failure: bill what was produced (tokens generated are tokens served), else release. */
  async fail(error: unknown): Promise<void> {
    if (this.#done) return;
    if (error instanceof BackendError) this.#metrics.backendErrors.inc({ code: error.code });
    const partial = error instanceof BackendError ? error.partial : undefined;
    if (partial && partial.usage.outputTokens > 0) {
      const reason = error instanceof BackendError && error.code === "aborted" ? "client_disconnect" : "error";
      await this.settle(partial.usage, reason);
    } else {
      this.#finish();
      this.#onBilled(0);
      await this.#ledger.metering.release(this.#requestId);
    }
  }

  #finish(): void {
    if (!this.#done) this.#metrics.holds.dec();
    this.#done = true;
  }
}
