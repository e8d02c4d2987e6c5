/** Longer than any wait it covers; it never fires (it is cleared first). */
const FOREVER = 2 ** 30;

/**
 * `work`, with the process kept alive until it settles. Vigil's timers are unref'ed so that
 * background work never keeps a process up; but a host awaiting `writer.write()` or `close()`
 * (a batch job's last write, waiting out a retry's backoff) must not see its process exit in
 * the middle, with the promise never settled.
 */
export function keepAlive<T>(work: Promise<T>): Promise<T> {
  const handle = globalThis.setInterval(() => {}, FOREVER);
  const release = (): void => globalThis.clearInterval(handle);
  work.then(release, release);
  return work;
}
