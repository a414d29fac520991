// EVM uint256 arithmetic for the bigint mirrors: where Solidity's checked arithmetic panics, the
// mirror throws a RangeError instead of returning a number the contract could never produce.

export const UINT256_MAX = (1n << 256n) - 1n;

/** Throws unless `x` is a uint256 (the only values a contract argument can take). */
export function assertUint256(x: bigint, name: string): void {
  if (x < 0n || x > UINT256_MAX) throw new RangeError(`${name} must be a uint256, got ${x}`);
}

/** `a * b` as checked Solidity arithmetic computes it: an overflow is a panic, here a RangeError. */
export function mul256(a: bigint, b: bigint, what: string): bigint {
  const p = a * b;
  if (p > UINT256_MAX) throw new RangeError(`${what} overflows uint256: the contract panics`);
  return p;
}

/** `a + b`, checked the same way. */
export function add256(a: bigint, b: bigint, what: string): bigint {
  const s = a + b;
  if (s > UINT256_MAX) throw new RangeError(`${what} overflows uint256: the contract panics`);
  return s;
}
