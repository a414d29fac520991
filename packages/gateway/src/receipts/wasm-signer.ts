// secp256k1 signing in WebAssembly: tiny-secp256k1 is libsecp256k1 (Bitcoin Core's library) compiled
// to wasm. It signs a digest in ~0.13 ms of CPU where viem's JavaScript signer (@noble/curves) takes
// ~0.38 ms, and gives the same bytes: both use RFC 6979 nonces and low s. The receipt signing
// thread signs every response's receipt, so this is a third of its work on the second core.
import { signRecoverable } from "tiny-secp256k1";
import { bytesToHex, hexToBytes, type Hex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/** What signUsageReceipt needs of an account: `sign` of a digest here, typed data through viem. */
export type DigestSigner = Pick<LocalAccount, "address" | "sign" | "signTypedData">;

export function wasmSigner(privateKey: Hex): DigestSigner {
  const viemAccount = privateKeyToAccount(privateKey);
  const key = hexToBytes(privateKey);
  return {
    address: viemAccount.address,
    signTypedData: viemAccount.signTypedData,
    // Async like viem's: callers cannot tell the two apart.
    sign: async ({ hash }) => {
      const { signature, recoveryId } = signRecoverable(hexToBytes(hash), key);
      // 2 and 3 mean r overflowed the group order (odds ~2^-128); ecrecover cannot take them.
      if (recoveryId > 1) throw new Error("secp256k1 signature with an unrecoverable r; sign again with another nonce");
      return `${bytesToHex(signature)}${recoveryId === 0 ? "1b" : "1c"}`;
    },
  };
}
