// keccak256 of bytes for the hot paths (receipt struct hashes, usage and rewards trees). viem's
// keccak256 is JavaScript (@noble/hashes); hash-wasm's is WebAssembly and ~10× faster on the short
// inputs trees hash, which is most of an epoch's settlement time (bench/epoch). Loading WebAssembly
// is asynchronous, so the fast hasher is opt-in: callers about to hash a lot `await loadFastKeccak()`;
// until then, and wherever WebAssembly is unavailable, the same bytes come from viem's.
import { createKeccak, type IHasher } from "hash-wasm";
import { keccak256 } from "viem";

let wasm: IHasher | undefined;
let loading: Promise<boolean> | undefined;

/**
 * Loads the WebAssembly keccak once; resolves true when it is in use, false when it could not load
 * (hashing then stays on viem's JavaScript, with identical results).
 *
 * @example
 * await loadFastKeccak();
 * const tree = buildUsageTree(receipts); // hashes in WebAssembly
 */
export function loadFastKeccak(): Promise<boolean> {
  loading ??= createKeccak(256).then(
    (hasher) => {
      wasm = hasher;
      return true;
    },
    () => false,
  );
  return loading;
}

/** keccak256 of `data`, as bytes. */
export function keccakBytes(data: Uint8Array): Uint8Array {
  if (!wasm) return keccak256(data, "bytes");
  // init/update/digest run synchronously: no other caller can interleave on the one hasher.
  wasm.init();
  wasm.update(data);
  return wasm.digest("binary");
}

/** A keccak256 fed in pieces: the hash of all the bytes given to `update`, in order. */
export interface KeccakStream {
  update(data: Uint8Array): void;
  digest(): Uint8Array;
}

/**
 * A keccak256 of its own (the fast one's state is shared by keccakBytes): in WebAssembly, or where
 * that cannot load, the bytes kept and hashed at the end by viem's.
 *
 * @example
 * const hash = await createKeccakStream();
 * for await (const chunk of createReadStream(path)) hash.update(chunk);
 * bytesToHex(hash.digest());
 */
export async function createKeccakStream(): Promise<KeccakStream> {
  const hasher = await createKeccak(256).catch(() => undefined);
  if (hasher) {
    hasher.init();
    return { update: (data) => void hasher.update(data), digest: () => hasher.digest("binary") };
  }
  const parts: Uint8Array[] = [];
  return {
    update: (data) => void parts.push(data.slice()),
    digest: () => {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let offset = 0;
      for (const p of parts) all.set(p, (offset += p.length) - p.length);
      return keccak256(all, "bytes");
    },
  };
}
