// Child process of durability.test.ts: writes points, records and dead letters through the built
// package, one at a time, and prints an acknowledgement line after each write has committed. The
// test SIGKILLs it mid-run. Usage: node acknowledged-writer.mjs <url> <schema>
import { PostgresStore } from '@vigil/storage-postgres';

const [url, schema] = process.argv.slice(2);
const store = new PostgresStore({ url, schema });
const t = Date.UTC(2026, 0, 1);

// stdout is a pipe, written synchronously on Linux: a printed line means the write was acked.
for (let i = 0; ; i++) {
  await store.timeSeries.append([
    { metric: 'acked', labels: { writer: 'child' }, timestamp: t + i, value: i },
  ]);
  process.stdout.write(`point ${i}\n`);
  await store.records.set('acked', `k${i}`, { i });
  process.stdout.write(`record ${i}\n`);
  await store.deadLetters.add({
    id: `d${i}`,
    queue: 'acked',
    payload: { i },
    error: { message: 'failed for good' },
    attempts: 1,
    failedAt: t + i,
  });
  process.stdout.write(`letter ${i}\n`);
}
