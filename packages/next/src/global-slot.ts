/**
 * @internal The process-wide slots `@vigil/next` keeps on `globalThis`, under `Symbol.for` keys.
 *
 * Next.js bundles `instrumentation.ts` and each route separately, so a module-level variable of
 * this package exists once per bundle: a registry set in `register()` would be invisible to the
 * route handlers. `globalThis` is shared by every bundle (and by a second installed copy of this
 * package), and `Symbol.for` names the same symbol in all of them.
 */
const slots = globalThis as unknown as Record<symbol, unknown>;

/** @internal Reads the slot `key`. */
export function readSlot<T>(key: symbol): T | undefined {
  return slots[key] as T | undefined;
}

/** @internal Writes (or, with undefined, clears) the slot `key`. */
export function writeSlot(key: symbol, value: unknown): void {
  if (value === undefined) delete slots[key];
  else slots[key] = value;
}
