import type { RecordStore } from '@vigil/storage';
import type { AlertRecord } from '../rules/alerting-rule.js';
import type { AlertRuleDefinition } from '../rules/rule-definition.js';

/** The `RecordStore` namespace of every engine's shared state. */
export const ALERTS_NAMESPACE = 'vigil-alerts';

/** A rule's alerts as the leader last wrote them. */
export interface RuleStateRecord {
  /** The fencing token of the lease the writer held. */
  readonly token: number;
  /** The rule's last evaluation, ms: where an outage starts. */
  readonly evaluatedAt: number;
  readonly alerts: readonly AlertRecord[];
}

/** A rule added, replaced or removed at run time: `definition` absent when removed. */
export interface RuntimeRuleRecord {
  readonly group: string;
  readonly name: string;
  readonly definition?: AlertRuleDefinition;
}

interface Heartbeat {
  readonly token: number;
  readonly at: number;
}

const HEARTBEAT = 'evaluated';
const STATE = 'state:';
const RUNTIME = 'runtime:';
const METRIC = 'metric:';

/** The key of a rule's records: its group's name and its own. */
export function ruleKey(group: string, rule: string): string {
  return `${encodeURIComponent(group)}/${encodeURIComponent(rule)}`;
}

/**
 * @internal An engine's state in a `RecordStore`, shared by every instance: each rule's alerts
 * (written by the leader, fenced by its lease token), the rules changed at run time, and the
 * names of the metrics instances write (so the leader knows which series to read).
 */
export class AlertRecords {
  readonly #records: RecordStore;

  constructor(records: RecordStore) {
    this.#records = records;
  }

  /** Every record whose key starts with `prefix`, with its key's rest. */
  async #list<T>(prefix: string): Promise<{ key: string; value: T; version: number }[]> {
    const out: { key: string; value: T; version: number }[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#records.list<T>(ALERTS_NAMESPACE, prefix, {
        limit: 10_000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      for (const record of page.records) {
        out.push({
          key: record.key.slice(prefix.length),
          value: record.value,
          version: record.version,
        });
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    return out;
  }

  /** Each rule's persisted alerts, by `ruleKey(group, rule)`. */
  async states(): Promise<Map<string, RuleStateRecord>> {
    const states = await this.#list<RuleStateRecord>(STATE);
    return new Map(states.map(({ key, value }) => [key, value]));
  }

  /**
   * Writes a rule's alerts unless a leader with a later token wrote them: answers false then
   * (this instance is no longer the leader, whatever it believes).
   */
  writeState(group: string, rule: string, state: RuleStateRecord): Promise<boolean> {
    return this.#writeFenced(STATE + ruleKey(group, rule), state);
  }

  /** When the leader last evaluated: where an outage starts for every rule. */
  async lastEvaluation(): Promise<number | undefined> {
    return (await this.#records.get<Heartbeat>(ALERTS_NAMESPACE, HEARTBEAT))?.value.at;
  }

  /** Records an evaluation cycle of the leader; false when a later leader wrote since. */
  writeEvaluation(token: number, at: number): Promise<boolean> {
    return this.#writeFenced(HEARTBEAT, { token, at });
  }

  async #writeFenced<T extends { readonly token: number }>(
    key: string,
    value: T,
  ): Promise<boolean> {
    // Only leaders write, so a lost race means another leader: a few tries settle whose it is.
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.#records.get<{ token: number }>(ALERTS_NAMESPACE, key);
      if (current !== undefined && current.value.token > value.token) return false;
      const written = await this.#records.compareAndSet(
        ALERTS_NAMESPACE,
        key,
        current?.version ?? 0,
        value,
      );
      if (written !== undefined) return true;
    }
    return false;
  }

  /** Forgets a removed rule's alerts. */
  async deleteState(group: string, rule: string): Promise<void> {
    await this.#records.delete(ALERTS_NAMESPACE, STATE + ruleKey(group, rule));
  }

  /** The run-time rule changes, with their versions (a change bumps the version). */
  async runtimeRules(): Promise<{ key: string; version: number; value: RuntimeRuleRecord }[]> {
    return this.#list<RuntimeRuleRecord>(RUNTIME);
  }

  /** Records a run-time change of a rule (a definition, or its removal); answers its version. */
  async writeRuntimeRule(record: RuntimeRuleRecord): Promise<number> {
    const key = RUNTIME + ruleKey(record.group, record.name);
    return (await this.#records.set(ALERTS_NAMESPACE, key, record)).version;
  }

  /** The metric names instances have written. */
  async metrics(): Promise<string[]> {
    return (await this.#list<true>(METRIC)).map(({ key }) => key);
  }

  async addMetric(name: string): Promise<void> {
    await this.#records.set(ALERTS_NAMESPACE, METRIC + name, true);
  }
}
