import type { Redis } from 'ioredis';
import { DEAD_LETTER_ADD, DEAD_LETTER_PURGE, DEAD_LETTER_REMOVE } from './lua/dead-letter-lua.js';
import {
  IDEMPOTENCY_CLAIM,
  IDEMPOTENCY_RELEASE,
  IDEMPOTENCY_UPDATE,
} from './lua/idempotency-lua.js';
import { LEASE_ACQUIRE, LEASE_RELEASE, LEASE_RENEW } from './lua/lease-lua.js';
import { RECORD_DELETE, RECORD_PRUNE, RECORD_WRITE } from './lua/record-lua.js';
import { SERIES_APPEND, SERIES_TRIM } from './lua/series-lua.js';

/** Every Lua script, by the name of the command it becomes (`defineCommand`: EVALSHA, EVAL on NOSCRIPT). */
const SCRIPTS = {
  vigilLeaseAcquire: LEASE_ACQUIRE,
  vigilLeaseRenew: LEASE_RENEW,
  vigilLeaseRelease: LEASE_RELEASE,
  vigilRecordWrite: RECORD_WRITE,
  vigilRecordDelete: RECORD_DELETE,
  vigilRecordPrune: RECORD_PRUNE,
  vigilIdempotencyClaim: IDEMPOTENCY_CLAIM,
  vigilIdempotencyUpdate: IDEMPOTENCY_UPDATE,
  vigilIdempotencyRelease: IDEMPOTENCY_RELEASE,
  vigilDeadLetterAdd: DEAD_LETTER_ADD,
  vigilDeadLetterRemove: DEAD_LETTER_REMOVE,
  vigilDeadLetterPurge: DEAD_LETTER_PURGE,
  vigilSeriesAppend: SERIES_APPEND,
  vigilSeriesTrim: SERIES_TRIM,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** An argument of a script: strings and numbers as Redis takes them. */
export type ScriptArgument = string | number | Buffer;

type ScriptCommand = (numberOfKeys: number, ...rest: ScriptArgument[]) => Promise<unknown>;

/** Defines every script on `client` (idempotent; names start with `vigil` to stay clear of the host's). */
export function defineScripts(client: Redis): void {
  for (const [name, lua] of Object.entries(SCRIPTS)) client.defineCommand(name, { lua });
}

/** Runs a script defined on `client` by `defineScripts`. */
export function runScript(
  client: Redis,
  name: ScriptName,
  keys: readonly string[],
  args: readonly ScriptArgument[],
): Promise<unknown> {
  const command = (client as unknown as Record<ScriptName, ScriptCommand>)[name];
  return command.call(client, keys.length, ...keys, ...args);
}
