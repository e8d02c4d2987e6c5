import { describeValue, invalidOption } from '@vigil/core/options';
import { pathOf } from './request-target.js';

/** A path to leave out of the request metrics: a path prefix (`'/static'`) or a pattern. */
export type PathPattern = string | RegExp;

/**
 * Decides whether a request path is excluded. A string excludes that path and everything below it
 * (`'/static'` excludes `/static` and `/static/app.js`, not `/statics`); a RegExp is tested
 * against the path (without the query string).
 */
export class PathFilter {
  readonly #exact = new Set<string>();
  readonly #prefixes: string[] = [];
  readonly #patterns: RegExp[] = [];
  /** True when nothing is excluded: `excludes()` is then never worth calling. */
  readonly empty: boolean;

  constructor(owner: string, patterns: readonly PathPattern[]) {
    if (!Array.isArray(patterns)) {
      throw invalidOption(
        owner,
        `excludePaths should be an array of path prefixes or RegExps, got ${describeValue(patterns)}`,
      );
    }
    for (const pattern of patterns) {
      if (pattern instanceof RegExp) {
        if (pattern.global || pattern.sticky) {
          throw invalidOption(
            owner,
            `excludePaths RegExp ${String(pattern)} should not have the g or y flag (they make test() stateful)`,
          );
        }
        this.#patterns.push(pattern);
      } else if (typeof pattern === 'string' && pattern.startsWith('/')) {
        const path = pattern.length > 1 && pattern.endsWith('/') ? pattern.slice(0, -1) : pattern;
        this.#exact.add(path);
        this.#prefixes.push(path === '/' ? '/' : `${path}/`);
      } else {
        throw invalidOption(
          owner,
          `excludePaths entries should be paths starting with '/' or RegExps, got ${describeValue(pattern)}`,
        );
      }
    }
    this.empty = patterns.length === 0;
  }

  /** Whether `url` (a path, with or without a query string) is excluded. */
  excludes(url: string): boolean {
    if (this.empty) return false;
    const path = pathOf(url);
    if (this.#exact.has(path)) return true;
    for (const prefix of this.#prefixes) if (path.startsWith(prefix)) return true;
    for (const pattern of this.#patterns) if (pattern.test(path)) return true;
    return false;
  }
}
