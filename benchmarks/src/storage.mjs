// Storage adapters: appends in batches of 1,000 points and a 24-hour range query at 60 s
// resolution over 1,000,000 points (10 series × 100,000 points, one every 0.864 s), for the memory,
// SQLite, Redis and PostgreSQL stores; and, as SQLite's floor, a raw better-sqlite3 insert loop
// of the same rows into a plain (series_id, ts, value) table, one transaction per batch.
// Redis and PostgreSQL are the real servers of scripts/redis.sh and scripts/postgres.sh.
//   node src/storage.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryStore } from '@vigil/storage';
import { PostgresStore } from '@vigil/storage-postgres';
import { RedisStore } from '@vigil/storage-redis';
import { SqliteStore } from '@vigil/storage-sqlite';
import Database from 'better-sqlite3';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const SERIES = 10;
const TOTAL = quick ? 100_000 : 1_000_000;
const BATCH = 1_000;
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const QUERY_RUNS = quick ? 3 : 7;

/** Batch `b` of the same data set for every store: points round-robin over the series. */
function batch(b) {
  const points = new Array(BATCH);
  for (let i = 0; i < BATCH; i++) {
    const n = b * BATCH + i;
    const series = n % SERIES;
    const timestamp = START + Math.floor((n / TOTAL) * DAY);
    points[i] = {
      metric: 'bench_latency_seconds',
      labels: { route: `/r${series}`, method: 'GET' },
      timestamp,
      value: ((n * 7919) % 1000) / 1000,
    };
  }
  return points;
}

const batches = Array.from({ length: TOTAL / BATCH }, (_, b) => batch(b));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measureStore(store) {
  const started = performance.now();
  for (const points of batches) await store.timeSeries.append(points);
  const appendMs = performance.now() - started;
  const query = {
    metric: 'bench_latency_seconds',
    from: START,
    to: START + DAY,
    step: 60_000,
    aggregation: 'avg',
  };
  const one = { ...query, labels: { route: '/r3' } };
  return {
    appendPerSecond: (TOTAL * 1000) / appendMs,
    queryAllMs: await timeQuery(store, query, SERIES),
    queryOneMs: await timeQuery(store, one, 1),
  };
}

/** Median time of QUERY_RUNS runs of `query`, checking that every run answers in full. */
async function timeQuery(store, query, expectedSeries) {
  const times = [];
  for (let i = 0; i < QUERY_RUNS; i++) {
    const t = performance.now();
    const result = await store.timeSeries.query(query);
    times.push(performance.now() - t);
    const points = result.reduce((n, s) => n + s.points.length, 0);
    if (result.length !== expectedSeries || points !== expectedSeries * 1440) {
      throw new Error(`query answered ${result.length} series / ${points} points`);
    }
  }
  return median(times);
}

function rawSqlite(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE points (series_id INTEGER, ts INTEGER, value REAL)');
  const insert = db.prepare('INSERT INTO points VALUES (?, ?, ?)');
  const ids = new Map();
  const write = db.transaction((points) => {
    for (const p of points) {
      let id = ids.get(p.labels.route);
      if (id === undefined) ids.set(p.labels.route, (id = ids.size + 1));
      insert.run(id, p.timestamp, p.value);
    }
  });
  const started = performance.now();
  for (const points of batches) write(points);
  const ms = performance.now() - started;
  db.close();
  return { appendPerSecond: (TOTAL * 1000) / ms };
}

function startServer(script) {
  return execFileSync('bash', [join(here, '..', '..', 'scripts', script), 'start'], {
    encoding: 'utf8',
  }).trim();
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-storage-'));
const results = {};
try {
  results.rawSqlite = rawSqlite(join(dir, 'raw.db'));
  const sqlite = new SqliteStore({ path: join(dir, 'vigil.db'), retention: false });
  results.sqlite = await measureStore(sqlite);
  await sqlite.close();
  const memory = new MemoryStore({ retention: false, maxPoints: TOTAL });
  results.memory = await measureStore(memory);
  await memory.close();
  const suffix = `${process.pid}_${Date.now()}`;
  const redis = new RedisStore({
    url: startServer('redis.sh'),
    keyPrefix: `bench${suffix}:`,
    retention: false,
    timeout: '60s',
  });
  results.redis = await measureStore(redis);
  const keys = await redis.client.keys(`bench${suffix}:*`);
  for (let i = 0; i < keys.length; i += 1000) await redis.client.del(...keys.slice(i, i + 1000));
  await redis.close();
  const schema = `bench_${suffix}`;
  const postgres = new PostgresStore({
    url: startServer('postgres.sh'),
    schema,
    retention: false,
    timeout: '60s',
  });
  results.postgres = await measureStore(postgres);
  await postgres.close();
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: startServer('postgres.sh') });
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
printJson({ points: TOTAL, series: SERIES, batch: BATCH, ...results });
