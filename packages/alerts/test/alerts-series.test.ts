import { spawnSync } from 'node:child_process';
import { Registry } from '@vigil/core';
import { MANUAL_CLOCK_EPOCH, manualClock } from '@vigil/core/testing';
import { parseExposition } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { AlertEngine } from '../src/index.js';

const MINUTE = 60_000;

function lines(text: string, name: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`))
    .sort();
}

describe('ALERTS and ALERTS_FOR_STATE', () => {
  it('are in the registry for every pending and firing alert, as Prometheus writes them', async () => {
    const clock = manualClock();
    const registry = new Registry({ clock });
    const depth = registry.gauge({ name: 'queue_depth', help: 'q', labelNames: ['queue'] });
    const engine = new AlertEngine({
      registry,
      clock,
      timers: clock,
      evaluationInterval: '1m',
      groups: [
        {
          name: 'queues',
          rules: [
            { name: 'QueueDeep', expr: 'queue_depth > 10', for: '1m', severity: 'warning' },
            { name: 'QueueEmpty', expr: 'queue_depth == 0' },
          ],
        },
      ],
    });
    depth.labels({ queue: 'a' }).set(20);
    await engine.evaluate();
    const pending = await registry.metrics();
    expect(lines(pending, 'ALERTS')).toEqual([
      'ALERTS{alertname="QueueDeep",queue="a",severity="warning",alertstate="pending"} 1',
    ]);
    clock.advance(MINUTE);
    depth.labels({ queue: 'b' }).set(0);
    await engine.evaluate();
    const text = await registry.metrics();
    // QueueEmpty has no severity: empty, which Prometheus reads as absent.
    expect(lines(text, 'ALERTS')).toEqual([
      'ALERTS{alertname="QueueDeep",queue="a",severity="warning",alertstate="firing"} 1',
      'ALERTS{alertname="QueueEmpty",queue="b",severity="",alertstate="firing"} 1',
    ]);
    expect(lines(text, 'ALERTS_FOR_STATE')).toEqual([
      `ALERTS_FOR_STATE{alertname="QueueDeep",queue="a",severity="warning"} ${MANUAL_CLOCK_EPOCH / 1000}`,
      `ALERTS_FOR_STATE{alertname="QueueEmpty",queue="b",severity=""} ${(MANUAL_CLOCK_EPOCH + MINUTE) / 1000}`,
    ]);
    const families = parseExposition(text).families;
    expect(families.find((f) => f.name === 'ALERTS')?.type).toBe('gauge');
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.error).toBeUndefined();
    expect({ status: check.status, out: `${check.stdout}${check.stderr}` }).toEqual({
      status: 0,
      out: '',
    });

    depth.labels({ queue: 'a' }).set(1);
    depth.labels({ queue: 'b' }).set(5);
    clock.advance(MINUTE);
    await engine.evaluate();
    expect(lines(await registry.metrics(), 'ALERTS')).toEqual([]);
    await engine.close();
    expect(await registry.metrics()).not.toContain('ALERTS');
  });
});
