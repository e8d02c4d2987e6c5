import { Registry } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { type HealthCheck, HealthMonitor } from '../src/index.js';

function check(
  name: string,
  status: () => 'pass' | 'warn' | 'fail',
  extra: Partial<HealthCheck> = {},
) {
  return { name, run: () => ({ status: status() }), ...extra } satisfies HealthCheck;
}

describe('health metrics', () => {
  it('keeps status, score, and per-check status and duration in the registry', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    let db: 'pass' | 'fail' = 'pass';
    const monitor = new HealthMonitor({
      registry,
      cacheFor: 0,
      checks: [check('db', () => db), check('cache', () => 'warn', { critical: false })],
    });
    await monitor.check();
    let text = await registry.metrics();
    expect(text).toContain('vigil_health_status 0.5\n');
    expect(text).toContain('vigil_health_score 75\n');
    expect(text).toContain('vigil_health_check_status{check="db"} 1\n');
    expect(text).toContain('vigil_health_check_status{check="cache"} 0.5\n');
    expect(text).toContain('vigil_health_check_duration_seconds_count{check="db"} 1\n');
    expect(text).toContain('# TYPE vigil_health_check_duration_seconds histogram');

    db = 'fail';
    await monitor.check();
    text = await registry.metrics();
    expect(text).toContain('vigil_health_status 0\n');
    expect(text).toContain('vigil_health_score 25\n');
    expect(text).toContain('vigil_health_check_status{check="db"} 0\n');
    expect(text).toContain('vigil_health_check_duration_seconds_count{check="db"} 2\n');
  });

  it('records quick runs per check but leaves the service status to full runs', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const monitor = new HealthMonitor({
      registry,
      cacheFor: 0,
      checks: [check('memory', () => 'fail', { quick: true }), check('db', () => 'pass')],
    });
    await monitor.check({ quick: true });
    const text = await registry.metrics();
    expect(text).toContain('vigil_health_check_status{check="memory"} 0\n');
    expect(text).not.toContain('check="db"');
    expect(text).not.toContain('vigil_health_status');
    expect(text).not.toContain('vigil_health_score');
  });

  it('exports no series before the first run, so that nothing reads as critical', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    new HealthMonitor({ registry, checks: [check('db', () => 'pass')] });
    const text = await registry.metrics();
    expect(text).not.toMatch(/^vigil_health\w*(\{.*\})? /m);
  });

  it('lets two monitors share a registry', async () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const a = new HealthMonitor({ registry, checks: [check('a', () => 'pass')] });
    const b = new HealthMonitor({ registry, checks: [check('b', () => 'pass')] });
    await Promise.all([a.check(), b.check()]);
    const text = await registry.metrics();
    expect(text).toContain('vigil_health_check_status{check="a"} 1\n');
    expect(text).toContain('vigil_health_check_status{check="b"} 1\n');
  });
});
