import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checks, HealthMonitor } from '../../src/index.js';

async function runOne(check: ReturnType<typeof checks.diskSpace>) {
  const report = await new HealthMonitor({ checks: [check] }).check();
  return Object.values(report.checks)[0];
}

describe('checks.diskSpace', () => {
  it('passes with enough free space and observes the free bytes', async () => {
    const result = await runOne(checks.diskSpace({ path: tmpdir(), minFreeBytes: 1 }));
    expect(result).toMatchObject({
      status: 'pass',
      key: 'disk:free',
      observedUnit: 'bytes',
      critical: false,
      quick: true,
    });
    expect(result?.observedValue).toBeGreaterThan(0);
    expect(result?.details?.path).toBe(tmpdir());
    expect(result?.details?.totalBytes).toBeGreaterThanOrEqual(result?.observedValue as number);
  });

  it('fails below minFreeBytes', async () => {
    const result = await runOne(
      checks.diskSpace({ path: tmpdir(), minFreeBytes: Number.MAX_SAFE_INTEGER }),
    );
    expect(result?.status).toBe('fail');
    expect(result?.output).toMatch(/ MiB free of .* on .*, below [\d.]+ MiB$/);
  });

  it('fails below minFreeRatio and warns below warnFreeRatio', async () => {
    expect((await runOne(checks.diskSpace({ path: tmpdir(), minFreeRatio: 1 })))?.status).toBe(
      'fail',
    );
    const warn = await runOne(
      checks.diskSpace({ path: tmpdir(), minFreeRatio: 0, warnFreeRatio: 1 }),
    );
    expect(warn?.status).toBe('warn');
    expect(warn?.output).toMatch(/below 100%$/);
  });

  it('warns below warnFreeBytes', async () => {
    const result = await runOne(
      checks.diskSpace({ path: tmpdir(), warnFreeBytes: Number.MAX_SAFE_INTEGER }),
    );
    expect(result?.status).toBe('warn');
  });

  it('fails on a path that does not exist, with the system error', async () => {
    const result = await runOne(checks.diskSpace({ path: join(tmpdir(), 'no-such-dir-vigil') }));
    expect(result?.status).toBe('fail');
    expect(result?.output).toContain('ENOENT');
  });

  it('rejects shares outside [0, 1]', () => {
    expect(() => checks.diskSpace({ minFreeRatio: 5 })).toThrow(
      'minFreeRatio should be a share in [0, 1]',
    );
    expect(() => checks.diskSpace({ minFreeBytes: -1 })).toThrow('minFreeBytes');
  });
});
