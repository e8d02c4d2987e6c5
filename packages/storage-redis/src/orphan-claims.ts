/** The most keys remembered; past it the oldest is forgotten (its claim then simply expires). */
const MAX_KEYS = 10_000;
/** The most tokens remembered per key (a retry that fails again adds one). */
const MAX_TOKENS = 8;

interface Orphans {
  readonly tokens: string[];
  expiresAt: number;
}

/**
 * This store's claims that were reported `STORE_UNAVAILABLE` and may have been applied anyway
 * (the script ran after the call's deadline, or its reply was lost), by key, until they would
 * have expired. The next claim of the key through this store takes such a claim over and answers
 * `claimed: true`: the caller that saw the error and retries learns that the key is its own,
 * instead of `claimed: false` with its own value. Each orphan is handed over once, so two callers
 * never both win; other stores (other processes) see the key as claimed, as after a crash.
 */
export class OrphanClaims {
  readonly #byKey = new Map<string, Orphans>();

  /** Remembers `token`, a claim of `key` whose outcome is unknown, until `expiresAt`. */
  add(key: string, token: string, expiresAt: number): void {
    const orphans = this.#byKey.get(key);
    if (orphans === undefined) {
      if (this.#byKey.size >= MAX_KEYS) {
        const oldest = this.#byKey.keys().next();
        if (oldest.done !== true) this.#byKey.delete(oldest.value);
      }
      this.#byKey.set(key, { tokens: [token], expiresAt });
      return;
    }
    orphans.tokens.push(token);
    if (orphans.tokens.length > MAX_TOKENS) orphans.tokens.shift();
    orphans.expiresAt = Math.max(orphans.expiresAt, expiresAt);
  }

  /** The live orphan tokens of `key`, space-separated (empty when none). */
  tokens(key: string, now: number): string {
    const orphans = this.#byKey.get(key);
    if (orphans === undefined) return '';
    if (orphans.expiresAt <= now) {
      this.#byKey.delete(key);
      return '';
    }
    return orphans.tokens.join(' ');
  }

  /** Forgets `key`'s orphans: a claim answered, so they are settled. */
  settle(key: string): void {
    this.#byKey.delete(key);
  }
}
