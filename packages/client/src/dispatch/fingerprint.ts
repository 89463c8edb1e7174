/**
 * A 64-bit fingerprint of a string, as two 32-bit halves from two hash functions with different
 * constants (each a multiply–xorshift step per two UTF-16 code units, finished with MurmurHash3's
 * avalanche step), computed in one pass. The xorshift in each step matters: a multiplication only
 * carries bits upwards, so without it the upper code unit of each pair could never reach the lower
 * half of the state, and ids that differ only there would share most of a fingerprint. Two
 * different event ids share a whole fingerprint with odds of about 1 in 2^64.
 */
export interface Fingerprint {
  /** Upper half. */
  high: number;
  /** Lower half; never 0 together with `high` (0/0 marks an empty slot). */
  low: number;
}

/**
 * Fingerprints `text` into `into` (reused by the caller, so hashing allocates nothing).
 *
 * @param text - the string to fingerprint
 * @param into - receives both halves, as unsigned 32-bit integers
 */
export function fingerprint(text: string, into: Fingerprint): void {
  const length = text.length;
  let a = 0x811c9dc5 ^ length;
  let b = 0x9e3779b9 ^ length;
  let index = 0;
  // Two UTF-16 code units per step: half the multiplications, the same bits mixed in.
  for (; index + 1 < length; index += 2) {
    const pair = text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16);
    a = Math.imul(a ^ pair, 0x01000193);
    a ^= a >>> 13;
    b = Math.imul(b ^ pair, 0x5bd1e995);
    b ^= b >>> 15;
  }
  if (index < length) {
    const unit = text.charCodeAt(index);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
  }
  into.high = avalanche(a);
  // 0/0 is the empty slot; moving one fingerprint in 2^64 to low = 1 costs nothing measurable.
  into.low = avalanche(b) || (into.high === 0 ? 1 : 0);
}

/** MurmurHash3's finaliser: every input bit flips each output bit with probability ½. */
function avalanche(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
