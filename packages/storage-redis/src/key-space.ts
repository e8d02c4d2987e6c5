/**
 * Every Redis key the store uses, under one prefix. Names that are followed by more text carry
 * their length (`rec:5:jobs:…`), so that a namespace holding `:` cannot collide with another
 * namespace's keys. Lua scripts that reach keys they were not given (dropping the oldest dead
 * letters) build them the same way from the prefix: the store targets one Redis server (or a
 * Sentinel-managed primary), not Redis Cluster.
 */
export class KeySpace {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  /** Hash `value`, `version`, `expiresAt?` of one record. */
  record(namespace: string, key: string): string {
    return `${this.prefix}rec:${namespace.length}:${namespace}:${key}`;
  }

  /** Sorted set (all scores 0) of the keys of one namespace, for `list` in key order. */
  recordIndex(namespace: string): string {
    return `${this.prefix}rec-index:${namespace}`;
  }

  /** Set of namespaces that have an index (for the sweep). */
  recordNamespaces(): string {
    return `${this.prefix}rec-namespaces`;
  }

  /** String: the lease as JSON, written with `SET … NX PX`. */
  lease(name: string): string {
    return `${this.prefix}lease:${name}`;
  }

  /** Counter (`INCR`) of a lease's fencing tokens; kept forever so tokens never go back. */
  leaseToken(name: string): string {
    return `${this.prefix}lease-token:${name}`;
  }

  /** Hash `value`, `expiresAt` of one idempotency key. */
  idempotency(key: string): string {
    return `${this.prefix}idem:${key}`;
  }

  /** Hash `letter` (JSON), `queue`, `member` (its entry in the indexes) of one dead letter. */
  deadLetter(id: string): string {
    return `${this.prefix}dl:${id}`;
  }

  /** Sorted set (all scores 0) of every letter, ordered by `failedAt` then id. */
  deadLetterAll(): string {
    return `${this.prefix}dl-all`;
  }

  /** The same, for one queue. */
  deadLetterQueue(queue: string): string {
    return `${this.prefix}dl-queue:${queue}`;
  }

  /** Set of metric names that have series. */
  seriesMetrics(): string {
    return `${this.prefix}ts-metrics`;
  }

  /**
   * Sorted set of the series of one metric, in order of creation (score: the sequence number of
   * its first point); each member is the canonical labels JSON (`seriesKey`).
   */
  seriesIndex(metric: string): string {
    return `${this.prefix}ts-index:${metric}`;
  }

  /** Sorted set of raw points, score = timestamp, member = `seq:timestamp:value`. */
  seriesRaw(metric: string, labels: string): string {
    return `${this.prefix}ts-raw:${metric.length}:${metric}:${labels}`;
  }

  /** Sorted set of rollup cells, score = bucket start, member = `start:count:sum:min:max:last:lastAt`. */
  seriesRollup(resolution: number, metric: string, labels: string): string {
    return `${this.prefix}ts-rollup-${resolution}:${metric.length}:${metric}:${labels}`;
  }

  /** Counter of appended points, giving each raw point a unique, increasing sequence number. */
  seriesSequence(): string {
    return `${this.prefix}ts-seq`;
  }
}
