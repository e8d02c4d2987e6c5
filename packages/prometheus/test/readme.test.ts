import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { groupsOf } from './support/pushgateway-groups.js';
import { type FakeReceiver, startFakeReceiver } from './support/remote-write-receiver.js';

const PACKAGE = join(import.meta.dirname, '..');
const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```(ts|js)\n([\s\S]*?)```/g)];

let receiver: FakeReceiver | undefined;
afterAll(async () => {
  await receiver?.close();
});

// The README's examples run against the built package, as a user would run them
// (`pnpm turbo run build --filter=@vigil/prometheus...` first).
describe('README', () => {
  it('runs every block meant to run', () => {
    expect(blocks.map(([, language]) => language)).toEqual(['ts', 'js', 'js', 'js']);
  });

  it('the batch job pushes to the real Pushgateway', async () => {
    const gateway = inject('pushgatewayUrl');
    const printed = await runReadmeScript(PACKAGE, { block: 0, env: { PUSHGATEWAY_URL: gateway } });
    expect(printed).toBe(`pushed to ${gateway}/metrics/job/nightly-export/instance/export-1\n`);
    const [group] = await groupsOf(gateway, 'nightly-export');
    expect(group?.families['export_rows_total']?.metrics[0]?.value).toBe('1250');
  });

  it('the remote-write example writes its five samples in one request', async () => {
    receiver = await startFakeReceiver();
    const printed = await runReadmeScript(PACKAGE, {
      block: 1,
      env: { REMOTE_WRITE_URL: receiver.url },
    });
    expect(printed).toBe('wrote 5 samples in 1 request(s)\n');
    const names = receiver.received[0]?.request?.timeseries.map(
      (series) => series.labels.find((label) => label.name === '__name__')?.value,
    );
    expect(names).toContain('orders_total');
  });

  it('the cluster example is the file test/cluster-readme-example.test.ts runs', () => {
    // A cluster worker runs its primary's script again, so the example runs from a file.
    const fixture = readFileSync(
      join(import.meta.dirname, 'fixtures/cluster/readme-example.mjs'),
      'utf8',
    );
    expect(blocks[2]?.[2]).toBe(fixture);
  });

  it('the merge example sums the counter and keeps the larger gauge', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 3 });
    expect(printed).toContain('jobs_total 30\n');
    expect(printed).toContain('queue_depth 4\n');
  });
});
