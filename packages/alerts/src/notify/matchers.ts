import { invalidOption } from '@vigil/core/options';
import type { LabelMatcher } from '../promql/ast.js';
import { compileMatcher } from '../promql/label-matchers.js';
import type { Labels } from '../promql/labels.js';

/**
 * A matcher as Alertmanager's configuration writes one: `severity="critical"`,
 * `service=~"api|web"`, `env!=dev` (a value may be quoted), or the parts as an object.
 */
export type MatcherInput = string | LabelMatcher;

/** Every matcher must hold; a label an alert lacks has the value `''`, as in Alertmanager. */
export type Matchers = (labels: Labels) => boolean;

const MATCHER =
  /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|([^\s"]*))\s*$/;
const OPERATORS: readonly LabelMatcher['type'][] = ['=', '!=', '=~', '!~'];

/**
 * Parses one matcher.
 *
 * @throws ConfigurationError (`INVALID_OPTION`) naming `owner` for a malformed one or a regex
 *   JavaScript cannot compile.
 */
export function parseMatcher(owner: string, input: MatcherInput): LabelMatcher {
  let matcher: LabelMatcher;
  if (typeof input === 'string') {
    const parts = MATCHER.exec(input);
    if (parts === null) {
      throw invalidOption(
        owner,
        `${JSON.stringify(input)} is not a matcher such as severity="critical" or env=~"prod|stage"`,
      );
    }
    const quoted = parts[3];
    matcher = {
      name: parts[1] as string,
      type: parts[2] as LabelMatcher['type'],
      value: quoted === undefined ? (parts[4] ?? '') : (JSON.parse(`"${quoted}"`) as string),
    };
  } else if (
    typeof input === 'object' &&
    input !== null &&
    typeof input.name === 'string' &&
    typeof input.value === 'string' &&
    OPERATORS.includes(input.type)
  ) {
    matcher = { name: input.name, type: input.type, value: input.value };
  } else {
    throw invalidOption(
      owner,
      'a matcher is a string such as severity="critical", or { name, type, value }',
    );
  }
  try {
    compileMatcher(matcher);
  } catch (error) {
    throw invalidOption(
      owner,
      `${matcher.name}${matcher.type}${JSON.stringify(matcher.value)}: ${(error as Error).message}`,
    );
  }
  return matcher;
}

/** The matchers parsed, as one test. */
export function compileMatchers(
  owner: string,
  inputs: readonly MatcherInput[] | undefined,
): {
  readonly matchers: readonly LabelMatcher[];
  readonly test: Matchers;
} {
  if (inputs !== undefined && !Array.isArray(inputs)) {
    throw invalidOption(owner, 'matchers should be a list such as ["severity=\\"critical\\""]');
  }
  const matchers = (inputs ?? []).map((input) => parseMatcher(owner, input));
  const compiled = matchers.map(compileMatcher);
  const test: Matchers = (labels) => {
    for (const m of compiled) if (!m.test(labels[m.name] ?? '')) return false;
    return true;
  };
  return { matchers, test };
}

/** A matcher as text, as Alertmanager prints it. */
export function formatMatcher(matcher: LabelMatcher): string {
  return `${matcher.name}${matcher.type}${JSON.stringify(matcher.value)}`;
}
