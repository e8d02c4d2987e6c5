/**
 * Values keyed by up to three strings, in nested maps so that a hit allocates nothing. Bounded:
 * past `max` values the cache starts over (the values are cheap to re-create; the series they
 * point to stay in their metric).
 */
export class BindingCache<V> {
  readonly #max: number;
  #root = new Map<string, Map<string, Map<string, V>>>();
  #size = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get(a: string, b: string, c: string): V | undefined {
    return this.#root.get(a)?.get(b)?.get(c);
  }

  set(a: string, b: string, c: string, value: V): void {
    if (this.#size >= this.#max) {
      this.#root = new Map();
      this.#size = 0;
    }
    let level1 = this.#root.get(a);
    if (level1 === undefined) this.#root.set(a, (level1 = new Map()));
    let level2 = level1.get(b);
    if (level2 === undefined) level1.set(b, (level2 = new Map()));
    if (!level2.has(c)) this.#size++;
    level2.set(c, value);
  }
}
