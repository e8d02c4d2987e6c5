import { StoreError } from '@vigil/storage';
import { corrupt } from '@vigil/storage/adapter';

// Replies that mean the data is not what the store wrote: a key of the wrong type, a script's own
// check, a counter that is not a number, a Lua runtime error on a value it could not read.
const CORRUPT_REPLY =
  /^(WRONGTYPE|VIGIL_CORRUPT|ERR value is not|ERR user_script|ERR Error running script)/;

/**
 * Turns whatever a Redis call threw into a `StoreError`: `STORE_CORRUPT` for the replies above,
 * `STORE_UNAVAILABLE` for everything else (refused or lost connection, timeout, the server
 * loading, read-only or out of memory).
 */
export function toStoreError(what: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && error.name === 'ReplyError' && CORRUPT_REPLY.test(message)) {
    const detail = message.replace(/^VIGIL_CORRUPT /, '').replace(/ script: .*$/s, '');
    return corrupt(what, detail, error);
  }
  return new StoreError(
    'STORE_UNAVAILABLE',
    `${what} failed: Redis did not answer (${message}); check that the server is up and reachable`,
    { cause: error },
  );
}
