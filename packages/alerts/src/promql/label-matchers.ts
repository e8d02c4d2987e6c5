import type { LabelMatcher } from './ast.js';
import type { Labels } from './labels.js';

/** A compiled matcher: whether a label value (`''` when the label is missing) matches. */
export interface CompiledMatcher {
  readonly name: string;
  test(value: string): boolean;
}

const compiled = new WeakMap<LabelMatcher, CompiledMatcher>();

/**
 * Compiles a matcher once. Regexes are anchored at both ends, as Prometheus's are (`=~"a"` does
 * not match `"ab"`); a leading `(?i)` is read as the case-insensitive flag.
 *
 * @throws SyntaxError for a regex JavaScript cannot compile.
 */
export function compileMatcher(matcher: LabelMatcher): CompiledMatcher {
  const known = compiled.get(matcher);
  if (known !== undefined) return known;
  let made: CompiledMatcher;
  const { name, value } = matcher;
  switch (matcher.type) {
    case '=':
      made = { name, test: (v) => v === value };
      break;
    case '!=':
      made = { name, test: (v) => v !== value };
      break;
    default: {
      const regex = anchored(value);
      made =
        matcher.type === '=~'
          ? { name, test: (v) => regex.test(v) }
          : { name, test: (v) => !regex.test(v) };
    }
  }
  compiled.set(matcher, made);
  return made;
}

function anchored(source: string): RegExp {
  let flags = 's';
  let body = source;
  const inline = /^\(\?([is]+)\)/.exec(body);
  if (inline !== null) {
    if (inline[1]?.includes('i')) flags += 'i';
    body = body.slice(inline[0].length);
  }
  return new RegExp(`^(?:${body})$`, flags);
}

/** Whether `labels` satisfy every matcher. */
export function matchesAll(labels: Labels, matchers: readonly LabelMatcher[]): boolean {
  for (const matcher of matchers) {
    if (!compileMatcher(matcher).test(labels[matcher.name] ?? '')) return false;
  }
  return true;
}
