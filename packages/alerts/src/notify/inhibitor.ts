import { checkOptionsObject, invalidOption } from '@vigil/core/options';
import type { Labels } from '../promql/labels.js';
import { compileMatchers, type MatcherInput, type Matchers } from './matchers.js';

/** An inhibition rule, as Alertmanager's `inhibit_rules` (in camelCase). */
export interface InhibitRuleConfig {
  /** Alerts that mute others while they fire. */
  sourceMatchers: readonly MatcherInput[];
  /** Alerts that are muted. */
  targetMatchers: readonly MatcherInput[];
  /** Labels whose values must be equal in source and target (missing counts as empty). */
  equal?: readonly string[] | undefined;
}

interface InhibitRule {
  readonly source: Matchers;
  readonly target: Matchers;
  readonly equal: readonly string[];
}

/** A firing alert, as the inhibitor reads it. */
export interface InhibitingAlert {
  readonly fingerprint: string;
  readonly labels: Labels;
}

const KEYS = ['sourceMatchers', 'targetMatchers', 'equal'] as const;

function signature(labels: Labels, names: readonly string[]): string {
  let key = '';
  for (const name of names) key += `${labels[name] ?? ''}\u0000`;
  return key;
}

/**
 * Inhibition with Alertmanager's semantics: a target alert is muted while a firing source alert
 * has the same values of the `equal` labels (a label missing on both sides is equal). When an
 * alert matches both a rule's source and target, sources that also match the target do not count
 * (so that alerts do not mute each other, or themselves).
 */
export class Inhibitor {
  readonly #rules: InhibitRule[];
  /** Per rule: firing source alerts by their `equal` values. */
  #sources: Map<string, InhibitingAlert[]>[] = [];

  /** @throws ConfigurationError naming the rule for a bad one. */
  constructor(configs: readonly InhibitRuleConfig[] | undefined) {
    if (configs !== undefined && !Array.isArray(configs)) {
      throw invalidOption(
        'inhibitRules',
        'should be a list of { sourceMatchers, targetMatchers, equal }',
      );
    }
    this.#rules = (configs ?? []).map((config, i) => {
      const owner = `inhibit rule ${i}`;
      const given = checkOptionsObject(owner, config, KEYS, { required: true });
      const equal = given['equal'] ?? [];
      if (!Array.isArray(equal) || equal.some((n) => typeof n !== 'string')) {
        throw invalidOption(owner, 'equal should be a list of label names');
      }
      return {
        source: compileMatchers(owner, given['sourceMatchers'] as MatcherInput[]).test,
        target: compileMatchers(owner, given['targetMatchers'] as MatcherInput[]).test,
        equal: equal as string[],
      };
    });
  }

  /** Bumped by every `update()`: what was computed from the sources before is out of date. */
  version = 0;

  /** Indexes the alerts firing now as sources. */
  update(firing: Iterable<InhibitingAlert>): void {
    this.version++;
    this.#sources = this.#rules.map(() => new Map());
    if (this.#rules.length === 0) return;
    for (const alert of firing) {
      this.#rules.forEach((rule, i) => {
        if (!rule.source(alert.labels)) return;
        const index = this.#sources[i] as Map<string, InhibitingAlert[]>;
        const key = signature(alert.labels, rule.equal);
        const list = index.get(key);
        if (list === undefined) index.set(key, [alert]);
        else list.push(alert);
      });
    }
  }

  /** The fingerprint of a source muting an alert with `labels`, if one does. */
  inhibitedBy(labels: Labels): string | undefined {
    for (let i = 0; i < this.#rules.length; i++) {
      const rule = this.#rules[i] as InhibitRule;
      if (!rule.target(labels)) continue;
      const sources = this.#sources[i]?.get(signature(labels, rule.equal));
      if (sources === undefined) continue;
      const twoSided = rule.source(labels);
      for (const source of sources) {
        if (twoSided && rule.target(source.labels)) continue;
        return source.fingerprint;
      }
    }
    return undefined;
  }
}
