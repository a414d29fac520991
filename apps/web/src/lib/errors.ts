// Errors for people. Apart from chainAction.ts so that the frame (the connect dialog) can use it
// without pulling the wallet client's actions into the first page's JavaScript.
import { useEffect, useState } from "react";
// The SDK's error decoder carries every contract's ABI: loaded when an action first fails, not with
// the first page (it would be a seventh of the marketplace's initial JavaScript).
let decoder: typeof import("@fomo/sdk/errors") | undefined;

/** Loads the SDK's error decoder (once); readable() uses it from then on. */
export async function loadErrorDecoder(): Promise<void> {
  try {
    decoder ??= await import("@fomo/sdk/errors");
  } catch {
    // offline or a stale deployment: readable() falls back to the error's own message
  }
}

/**
 * A wallet's refusal, a contract's custom error, an RPC failure: one sentence for a person.
 * Call loadErrorDecoder() first (useChainAction does) for custom errors in plain words.
 */
export function readable(error: unknown): string {
  const e = error as { name?: string; shortMessage?: string; message?: string; cause?: unknown } | undefined;
  if (e?.name === "UserRejectedRequestError" || /user rejected|denied/i.test(e?.message ?? "")) return "You rejected the request in your wallet.";
  try {
    if (decoder) return decoder.describeError(error);
  } catch {
    // not one the decoder knows: the error's own words below
  }
  return e?.shortMessage ?? e?.message ?? String(error);
}

/** `error` in words for a render: the decoder is loaded the first time an error is shown, then the sentence follows. */
export function useReadable(error: unknown): string | undefined {
  const [, loaded] = useState(decoder !== undefined);
  useEffect(() => {
    if (error !== undefined && decoder === undefined) void loadErrorDecoder().then(() => loaded(true));
  }, [error]);
  return error === undefined ? undefined : readable(error);
}
