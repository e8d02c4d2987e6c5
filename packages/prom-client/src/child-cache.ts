import { ABSENT } from './label-arguments.js';
import { unknownLabel } from './validation.js';

type Level<C> = Map<string, Level<C> | C>;

/**
 * The bound children of one metric by label values, one `Map` level per label name, so that
 * `labels('GET', '200')` on a known label set finds its child without building a key or a labels
 * object. A child stays valid when its series is removed (the core child re-creates the series on
 * its next write); `clear()` forgets them all.
 */
export class ChildCache<C> {
  readonly #labelNames: readonly string[];
  #root: Level<C> = new Map();

  constructor(labelNames: readonly string[]) {
    this.#labelNames = labelNames;
  }

  /**
   * The child of `labels(...args)`, or undefined when not cached yet. Throws prom-client's error
   * for an unknown label name in a labels object.
   */
  find(args: readonly unknown[]): C | undefined {
    const first = args[0];
    const names = this.#labelNames;
    if (names.length === 0) return undefined;
    // Keys always checked: a set with an unknown label must not find its known labels' child.
    if (typeof first === 'object' && first !== null) {
      return this.findLabels(first as Readonly<Record<string, unknown>>);
    }
    if (args.length !== names.length) return undefined;
    let level: Level<C> | C | undefined = this.#root;
    for (let i = 0; i < args.length && level !== undefined; i++) {
      level = (level as Level<C>).get(keyOf(args[i]));
    }
    return level as C | undefined;
  }

  /**
   * The child of a recording's labels object (`inc(labels)`), or undefined when not cached yet
   * (always for an unlabelled metric). Throws prom-client's error for an unknown label name.
   */
  findLabels(labels: Readonly<Record<string, unknown>>): C | undefined {
    const names = this.#labelNames;
    for (const key in labels) if (!names.includes(key)) throw unknownLabel(key, names);
    return names.length === 0 ? undefined : this.#lookUp(labels);
  }

  #lookUp(labels: Readonly<Record<string, unknown>>): C | undefined {
    const names = this.#labelNames;
    let level: Level<C> | C | undefined = this.#root;
    for (let i = 0; i < names.length && level !== undefined; i++) {
      level = (level as Level<C>).get(keyOf(labels[names[i] as string]));
    }
    return level as C | undefined;
  }

  /** Forgets the child of complete core `labels` (its series was removed). */
  delete(labels: Readonly<Record<string, unknown>>): void {
    const names = this.#labelNames;
    let level: Level<C> | undefined = this.#root;
    for (let i = 0; i < names.length - 1 && level !== undefined; i++) {
      level = level.get(keyOf(labels[names[i] as string])) as Level<C> | undefined;
    }
    if (level !== undefined && names.length > 0) {
      level.delete(keyOf(labels[names[names.length - 1] as string]));
    }
  }

  /** Keeps `child` for its complete core labels. */
  set(labels: Readonly<Record<string, unknown>>, child: C): void {
    const names = this.#labelNames;
    let level = this.#root;
    for (let i = 0; i < names.length - 1; i++) {
      const key = keyOf(labels[names[i] as string]);
      let next = level.get(key) as Level<C> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    if (names.length > 0) level.set(keyOf(labels[names[names.length - 1] as string]), child);
  }

  clear(): void {
    this.#root = new Map();
  }
}

function keyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === undefined ? ABSENT : String(value);
}
