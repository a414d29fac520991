// JSON-RPC batches to a local Hardhat node, for the benchmarks that build a chain fast: one HTTP
// request carries many calls (eth_sendTransaction with automine off, evm_mine, receipts).
import type { LocalChain } from "@fomo/deploy";

/** Sends `calls` as one JSON-RPC batch and returns their results in order; throws on the first error. */
export async function rpc(chain: LocalChain, calls: { method: string; params: unknown[] }[]): Promise<unknown[]> {
  const response = await fetch(chain.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: "2.0", id, ...c }))),
  });
  const answers = (await response.json()) as { id: number; result?: unknown; error?: { message: string } }[];
  return answers.sort((a, b) => a.id - b.id).map((a) => {
    if (a.error) throw new Error(`${calls[a.id]!.method}: ${a.error.message}`);
    return a.result;
  });
}
