import { StoreError } from '@vigil/storage';

/**
 * Page cursors: the position after the last item returned, as base64url JSON, opaque to callers.
 * A cursor that does not decode is a `STORE_INVALID_ARGUMENT`.
 */
export function encodeCursor(position: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`; `check` tells whether the position has the right shape. */
export function decodeCursor<T extends readonly unknown[]>(
  cursor: unknown,
  check: (position: readonly unknown[]) => position is T,
): T {
  let position: unknown;
  try {
    if (typeof cursor !== 'string') throw new TypeError('not a string');
    position = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    position = undefined;
  }
  if (!Array.isArray(position) || !check(position)) {
    throw new StoreError(
      'STORE_INVALID_ARGUMENT',
      `cursor should be one returned by a previous page of the same list, got ${JSON.stringify(cursor) ?? String(cursor)}`,
    );
  }
  return position;
}
