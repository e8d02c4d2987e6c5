// The report's section for the storage adapters (storage.mjs).
import { fmtMs, fmtRatio } from './format.mjs';

const fmtRate = (v) => `${Math.round(v / 1000).toLocaleString('en-US')} k points/s`;

/** The storage targets of their issue, on the medians. */
export function storageTargets(m) {
  const s = m.storage;
  return [
    {
      name: 'SQLite appends, batches of 1,000 points',
      value: fmtRate(s.sqlite.appendPerSecond),
      target: '≥ 200 k points/s',
      pass: s.sqlite.appendPerSecond >= 200_000,
    },
    {
      name: 'SQLite 24 h range query at 60 s over 1 M points (one series)',
      value: fmtMs(s.sqlite.queryOneMs),
      target: '< 50 ms',
      pass: s.sqlite.queryOneMs < 50,
    },
    {
      name: 'SQLite 24 h range query at 60 s over 1 M points (all 10 series)',
      value: fmtMs(s.sqlite.queryAllMs),
      target: '< 50 ms',
      pass: s.sqlite.queryAllMs < 50,
    },
  ];
}

export function renderStorage(m, range) {
  const s = m.storage;
  const r = range.storage;
  const out = [];
  out.push('## Storage adapters: appends and a 24-hour range query\n');
  out.push(
    `${s.points.toLocaleString('en-US')} points of one metric in ${s.series} series (a point every 0.864 s per series over 24 h), appended in batches of ${s.batch.toLocaleString('en-US')} (\`store.timeSeries.append\`, one transaction per batch where the backend has them); then the 24-hour range query at 60 s resolution (\`avg\`), for the whole metric (${s.series} series × 1,440 points) and for one series (a label matcher), median of 7 runs. SQLite is a file in WAL mode with \`synchronous=NORMAL\`; Redis and PostgreSQL (fsync on) are the real servers of \`scripts/\` on loopback. The floor is a raw better-sqlite3 loop inserting the same rows into a plain \`(series_id, ts, value)\` table, one transaction per batch, no rollups.\n`,
  );
  out.push(
    '| store | appends (median) | min – max | ÷ raw better-sqlite3 | 24 h @ 60 s, 10 series | 24 h @ 60 s, 1 series |\n|---|---:|---:|---:|---:|---:|',
  );
  const raw = s.rawSqlite.appendPerSecond;
  out.push(
    `| raw better-sqlite3 insert loop (floor) | ${fmtRate(raw)} | ${fmtRate(r.rawSqlite.appendPerSecond[0])} – ${fmtRate(r.rawSqlite.appendPerSecond[1])} | | | |`,
  );
  for (const [key, label] of [
    ['sqlite', '`SqliteStore`'],
    ['memory', '`MemoryStore`'],
    ['redis', '`RedisStore`'],
    ['postgres', '`PostgresStore`'],
  ]) {
    const v = s[key];
    out.push(
      `| ${label} | ${fmtRate(v.appendPerSecond)} | ${fmtRate(r[key].appendPerSecond[0])} – ${fmtRate(r[key].appendPerSecond[1])} | ${fmtRatio(v.appendPerSecond / raw)} | ${fmtMs(v.queryAllMs)} | ${fmtMs(v.queryOneMs)} |`,
    );
  }
  out.push('');
  return out.join('\n');
}
