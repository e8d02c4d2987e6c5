import { randomUUID } from 'node:crypto';
import type { Clock } from '@vigil/core';
import { checkOptionsObject, invalidOption } from '@vigil/core/options';
import type { LabelMatcher } from '../promql/ast.js';
import { compileMatcher } from '../promql/label-matchers.js';
import type { Labels } from '../promql/labels.js';
import { compileMatchers, type MatcherInput, type Matchers } from './matchers.js';

/** When a silence starts or ends: ms since the epoch, a `Date`, or an ISO 8601 string. */
export type TimeInput = number | Date | string;

/** What `createSilence` and `updateSilence` take, as Alertmanager's silences. */
export interface SilenceInput {
  /** The alerts it mutes: every matcher must hold; at least one must not match an empty value. */
  matchers: readonly MatcherInput[];
  /** Default: now. */
  startsAt?: TimeInput | undefined;
  endsAt: TimeInput;
  createdBy: string;
  comment: string;
}

/** A silence, with its state now. */
export interface Silence {
  readonly id: string;
  readonly matchers: readonly LabelMatcher[];
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly updatedAt: number;
  readonly state: 'pending' | 'active' | 'expired';
}

interface StoredSilence extends Omit<Silence, 'state'> {
  readonly test: Matchers;
}

const KEYS = ['matchers', 'startsAt', 'endsAt', 'createdBy', 'comment'] as const;

function time(owner: string, field: string, value: unknown): number {
  const ms =
    typeof value === 'number'
      ? value
      : value instanceof Date
        ? value.getTime()
        : typeof value === 'string'
          ? Date.parse(value)
          : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw invalidOption(
      owner,
      `${field} should be a time (ms, a Date or an ISO string), got ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** @internal A silence as it is stored, without its compiled test. */
export type SilenceRecord = Omit<StoredSilence, 'test'>;

/**
 * Silences, as Alertmanager's: an alert matching every matcher of an active silence
 * (`startsAt <= now < endsAt`) is not notified. Expired silences are kept (listed) for
 * `retention`, then forgotten.
 */
export class Silences {
  readonly #clock: Clock;
  readonly #silences = new Map<string, StoredSilence>();
  readonly #retention: number;
  /** Bumped on every change: what was computed from the silences before is out of date. */
  #version = 0;

  constructor(clock: Clock, retention = 5 * 86_400_000) {
    this.#clock = clock;
    this.#retention = retention;
  }

  /** @throws ConfigurationError (`INVALID_OPTION`) for a malformed silence. */
  create(input: SilenceInput): Silence {
    const silence = this.#check(input, randomUUID());
    this.#silences.set(silence.id, silence);
    this.#version++;
    return this.#view(silence);
  }

  /**
   * Changes a silence that has not expired; undefined when there is none such.
   *
   * @throws ConfigurationError for a malformed silence.
   */
  update(id: string, input: SilenceInput): Silence | undefined {
    const current = this.#silences.get(id);
    if (current === undefined || current.endsAt <= this.#clock.now()) return undefined;
    const silence = this.#check(input, id);
    this.#silences.set(id, silence);
    this.#version++;
    return this.#view(silence);
  }

  /** Ends a silence now; false when there is no such silence, or it had ended. */
  expire(id: string): boolean {
    const current = this.#silences.get(id);
    const now = this.#clock.now();
    if (current === undefined || current.endsAt <= now) return false;
    this.#silences.set(id, {
      ...current,
      startsAt: Math.min(current.startsAt, now),
      endsAt: now,
      updatedAt: now,
    });
    this.#version++;
    return true;
  }

  get(id: string): Silence | undefined {
    const silence = this.#silences.get(id);
    return silence === undefined ? undefined : this.#view(silence);
  }

  /** Every silence kept, pending, active and expired, the latest ending first. */
  list(): Silence[] {
    this.#forgetOld();
    return [...this.#silences.values()]
      .map((s) => this.#view(s))
      .sort((a, b) => b.endsAt - a.endsAt);
  }

  /** Changes with every create, update, expire and restore. */
  get version(): number {
    return this.#version;
  }

  /** The next time a silence starts or ends after `now` (Infinity: none): muting may change then. */
  nextChange(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const s of this.#silences.values()) {
      if (s.startsAt > now && s.startsAt < next) next = s.startsAt;
      else if (s.endsAt > now && s.endsAt < next) next = s.endsAt;
    }
    return next;
  }

  /** Whether an active silence mutes `labels` at `now` (stops at the first). */
  isMuted(labels: Labels, now: number): boolean {
    for (const silence of this.#silences.values()) {
      if (silence.startsAt <= now && now < silence.endsAt && silence.test(labels)) return true;
    }
    return false;
  }

  /** The ids of the active silences muting `labels` at `now`. */
  mutedBy(labels: Labels, now: number): string[] {
    const ids: string[] = [];
    for (const silence of this.#silences.values()) {
      if (silence.startsAt <= now && now < silence.endsAt && silence.test(labels))
        ids.push(silence.id);
    }
    return ids;
  }

  /** How many silences are active now. */
  activeCount(now: number): number {
    let count = 0;
    for (const s of this.#silences.values()) if (s.startsAt <= now && now < s.endsAt) count++;
    return count;
  }

  /** The silences as stored, for persisting. */
  records(): SilenceRecord[] {
    return [...this.#silences.values()].map(({ test: _test, ...record }) => record);
  }

  /** Replaces the silences by stored ones. */
  restore(records: readonly SilenceRecord[]): void {
    this.#version++;
    this.#silences.clear();
    for (const record of records) {
      const { test } = compileMatchers(`silence ${record.id}`, record.matchers);
      this.#silences.set(record.id, { ...record, test });
    }
  }

  #check(input: SilenceInput, id: string): StoredSilence {
    const owner = 'silence';
    const given = checkOptionsObject(owner, input, KEYS, { required: true });
    const { matchers, test } = compileMatchers(
      owner,
      given['matchers'] as MatcherInput[] | undefined,
    );
    if (!matchers.some((m) => !compileMatcher(m).test(''))) {
      throw invalidOption(
        owner,
        'needs at least one matcher that does not match an empty value (it would mute every alert)',
      );
    }
    const now = this.#clock.now();
    const startsAt =
      given['startsAt'] === undefined ? now : time(owner, 'startsAt', given['startsAt']);
    const endsAt = time(owner, 'endsAt', given['endsAt']);
    if (endsAt <= startsAt) throw invalidOption(owner, 'endsAt should be after startsAt');
    for (const field of ['createdBy', 'comment'] as const) {
      if (typeof given[field] !== 'string' || given[field] === '') {
        throw invalidOption(owner, `${field} is required: who silences, and why`);
      }
    }
    return {
      id,
      matchers,
      test,
      startsAt,
      endsAt,
      createdBy: given['createdBy'] as string,
      comment: given['comment'] as string,
      updatedAt: now,
    };
  }

  #view({ test: _test, ...silence }: StoredSilence): Silence {
    const now = this.#clock.now();
    const state = now < silence.startsAt ? 'pending' : now < silence.endsAt ? 'active' : 'expired';
    return { ...silence, state };
  }

  #forgetOld(): void {
    const cutoff = this.#clock.now() - this.#retention;
    for (const [id, s] of this.#silences) if (s.endsAt < cutoff) this.#silences.delete(id);
  }
}
