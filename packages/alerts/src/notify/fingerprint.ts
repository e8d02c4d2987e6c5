import { type Labels, labelsKey } from '../promql/labels.js';

const known = new WeakMap<Labels, string>();

/**
 * A stable identity of a label set, 16 hex digits (FNV-1a, 64-bit, over the sorted labels): the
 * alert's `fingerprint`. Cached per label object, since an alert keeps its labels object from one
 * evaluation to the next.
 */
export function fingerprint(labels: Labels): string {
  let hash = known.get(labels);
  if (hash !== undefined) return hash;
  const text = labelsKey(labels);
  // BigInt is slow per character; two 32-bit halves of FNV-1a-64 with Math.imul instead.
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < text.length; i++) {
    lo = (lo ^ text.charCodeAt(i)) >>> 0;
    // Times the prime 2^40 + 0x1b3, mod 2^64: the high word gains hi * 0x1b3 + lo * 2^8.
    const loProduct = lo * 0x1b3;
    const carry = Math.floor(loProduct / 0x100000000);
    const newLo = loProduct >>> 0;
    hi = (Math.imul(hi, 0x1b3) + Math.imul(lo, 0x100) + carry) >>> 0;
    lo = newLo;
  }
  hash = hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
  known.set(labels, hash);
  return hash;
}
