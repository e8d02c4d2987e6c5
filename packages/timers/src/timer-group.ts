import type { Histogram, Registry } from '@vigil/core';
import {
  checkOptionsObject,
  optionalBoolean,
  optionalInteger,
  optionalRegistry,
  optionalString,
  required,
} from '@vigil/core/options';
import { BindingCache } from './binding-cache.js';
import { BoundTimer } from './bound-timer.js';
import { fingerprintSql } from './fingerprint-sql.js';
import { Timer } from './timer.js';
import { currentScope } from './timing-scope.js';

/** Options of `createTimers()`. */
export interface TimerGroupOptions {
  /** Prefix of the three histogram names; default `'vigil_'` (`vigil_api_duration_seconds` …). */
  prefix?: string | undefined;
  /** Bucket bounds of the three histograms, in seconds; default core's `DEFAULT_BUCKETS`. */
  buckets?: readonly number[] | undefined;
  /**
   * Adds a `query` label with the SQL fingerprint to the DB histogram; default false. Each
   * fingerprint is a series per operation, table and result: keep it off unless the set of
   * queries is small and fixed (the histogram's series limit still applies).
   */
  queryLabel?: boolean | undefined;
  /** Longest fingerprint kept in the `query` label (longer ones are cut); default 120. */
  maxQueryLength?: number | undefined;
}

const OWNER = 'createTimers';
const OPTIONS = ['prefix', 'buckets', 'queryLabel', 'maxQueryLength'] as const;
const FINGERPRINTS_KEPT = 1000;

/**
 * The in-house toolkits' `api_timer`, `db_timer` and `score_timer`, on three predefined
 * histograms: `vigil_api_duration_seconds{route,method,result}`,
 * `vigil_db_duration_seconds{operation,table,result}` (plus `query` with `queryLabel`) and
 * `vigil_custom_duration_seconds{name,result}`. Scope entries are named `api`, `db` and the
 * custom name. Each label set is bound once and cached, so a repeated timer allocates only itself.
 */
export class TimerGroup {
  readonly apiDuration: Histogram<'route' | 'method' | 'result'>;
  readonly dbDuration: Histogram<string>;
  readonly customDuration: Histogram<'name' | 'result'>;
  readonly #queryLabel: boolean;
  readonly #maxQueryLength: number;
  readonly #api: BindingCache<BoundTimer>;
  readonly #db: BindingCache<BoundTimer>;
  readonly #custom: BindingCache<BoundTimer>;
  readonly #fingerprints = new Map<string, string>();

  /** @internal Use `createTimers()`. */
  constructor(registryArgument: Registry, input: TimerGroupOptions | undefined) {
    const registry = required(
      OWNER,
      'registry',
      optionalRegistry<Registry>(OWNER, 'registry', registryArgument),
      'createTimers(registry, options?)',
    );
    const options = checkOptionsObject(OWNER, input, OPTIONS);
    const prefix =
      optionalString(OWNER, 'prefix', options['prefix'], { allowEmpty: true }) ?? 'vigil_';
    // The registry checks the bounds themselves.
    const buckets =
      options['buckets'] === undefined ? {} : { buckets: options['buckets'] as readonly number[] };
    this.#queryLabel = optionalBoolean(OWNER, 'queryLabel', options['queryLabel']) ?? false;
    this.#maxQueryLength =
      optionalInteger(OWNER, 'maxQueryLength', options['maxQueryLength'], { min: 1 }) ?? 120;
    this.apiDuration = registry.histogram({
      name: `${prefix}api_duration_seconds`,
      help: 'Duration of API calls timed with timers.api(), by route, method and result.',
      labelNames: ['route', 'method', 'result'],
      unit: 'seconds',
      ...buckets,
    });
    this.dbDuration = registry.histogram<string>({
      name: `${prefix}db_duration_seconds`,
      help: 'Duration of database operations timed with timers.db(), by operation, table and result.',
      labelNames: this.#queryLabel
        ? ['operation', 'table', 'query', 'result']
        : ['operation', 'table', 'result'],
      unit: 'seconds',
      ...buckets,
    });
    this.customDuration = registry.histogram({
      name: `${prefix}custom_duration_seconds`,
      help: 'Duration of operations timed with timers.custom(), by name and result.',
      labelNames: ['name', 'result'],
      unit: 'seconds',
      ...buckets,
    });
    this.#api = new BindingCache(this.apiDuration.maxSeries);
    this.#db = new BindingCache(this.dbDuration.maxSeries);
    this.#custom = new BindingCache(this.customDuration.maxSeries);
  }

  /** Starts a timer for one API call; `route` should be a template (`/users/:id`), not a URL. */
  api(route: string, method: string): Timer<never> {
    return new Timer(this.bindApi(route, method), undefined, undefined);
  }

  /**
   * Starts a timer for one database operation. `sql` (optional) is fingerprinted — literals
   * replaced, whitespace folded — and attached to the scope entry (and the `query` label with
   * `queryLabel`); raw SQL is never put in a label.
   */
  db(operation: string, table = '', sql?: string): Timer<never> {
    if (this.#queryLabel || sql === undefined) {
      return new Timer(this.bindDb(operation, table, sql), undefined, undefined);
    }
    // Fingerprint only when a scope will read it.
    const detail = currentScope() === undefined ? undefined : this.#fingerprint(sql);
    return new Timer(this.bindDb(operation, table), undefined, detail);
  }

  /** Starts a timer named `name` (a score computation, a render, a batch). */
  custom(name: string): Timer<never> {
    return new Timer(this.bindCustom(name), undefined, undefined);
  }

  /** The `BoundTimer` behind `api(route, method)`, for `measure()` and `@timed()`. */
  bindApi(route: string, method: string): BoundTimer {
    let bound = this.#api.get(route, method, '');
    if (bound === undefined) {
      bound = new BoundTimer(this.apiDuration, { route, method }, 'api', `${method} ${route}`);
      this.#api.set(route, method, '', bound);
    }
    return bound;
  }

  /** The `BoundTimer` behind `db(operation, table, sql)`, for `measure()` and `@timed()`. */
  bindDb(operation: string, table = '', sql?: string): BoundTimer {
    const query = this.#queryLabel && sql !== undefined ? this.#fingerprint(sql) : '';
    let bound = this.#db.get(operation, table, query);
    if (bound === undefined) {
      const labels = this.#queryLabel ? { operation, table, query } : { operation, table };
      const detail = query === '' ? undefined : query;
      bound = new BoundTimer(this.dbDuration, labels, 'db', detail);
      this.#db.set(operation, table, query, bound);
    }
    return bound;
  }

  /** The `BoundTimer` behind `custom(name)`, for `measure()` and `@timed()`. */
  bindCustom(name: string): BoundTimer {
    let bound = this.#custom.get(name, '', '');
    if (bound === undefined) {
      bound = new BoundTimer(this.customDuration, { name }, name, undefined);
      this.#custom.set(name, '', '', bound);
    }
    return bound;
  }

  #fingerprint(sql: string): string {
    let fingerprint = this.#fingerprints.get(sql);
    if (fingerprint === undefined) {
      fingerprint = fingerprintSql(sql).slice(0, this.#maxQueryLength);
      if (this.#fingerprints.size >= FINGERPRINTS_KEPT) this.#fingerprints.clear();
      this.#fingerprints.set(sql, fingerprint);
    }
    return fingerprint;
  }
}

/**
 * Creates the api / db / custom timer group on `registry`. Calling it twice on one registry
 * shares the histograms (identical definitions return the registered metric).
 *
 * @throws ConfigurationError `INVALID_OPTION` for a bad option, or any error the registry throws
 * for a prefix or buckets it rejects.
 */
export function createTimers(registry: Registry, options?: TimerGroupOptions): TimerGroup {
  return new TimerGroup(registry, options);
}
