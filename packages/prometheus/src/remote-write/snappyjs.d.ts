// snappyjs 0.7 ships no types: the two functions `@vigil/prometheus` calls, block format.
declare module 'snappyjs' {
  /** Compresses `input` in Snappy's block format (no framing), as remote write requires. */
  export function compress(input: Uint8Array): Uint8Array;
  /** Decompresses a Snappy block; throws on a malformed one. */
  export function uncompress(input: Uint8Array, maxLength?: number): Uint8Array;
}
