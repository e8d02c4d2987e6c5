import { describe, expect, it } from 'vitest';
import { HealthMonitor } from '../src/index.js';

async function outputOf(error: unknown): Promise<string | undefined> {
  const monitor = new HealthMonitor({
    checks: [{ name: 'x', run: () => Promise.reject(error) }],
  });
  return (await monitor.check()).checks.x?.output;
}

describe('check outputs', () => {
  it("joins the messages of an AggregateError's errors", async () => {
    const error = new AggregateError([
      new Error('connect ECONNREFUSED ::1:5432'),
      new Error('connect ECONNREFUSED 127.0.0.1:5432'),
    ]);
    expect(await outputOf(error)).toBe(
      'connect ECONNREFUSED ::1:5432; connect ECONNREFUSED 127.0.0.1:5432',
    );
  });

  it('adds the cause once, and uses the name of an error without a message', async () => {
    expect(await outputOf(new TypeError('fetch failed', { cause: new Error('bad port') }))).toBe(
      'fetch failed: bad port',
    );
    expect(await outputOf(new Error('down: ECONNRESET', { cause: new Error('ECONNRESET') }))).toBe(
      'down: ECONNRESET',
    );
    expect(await outputOf(new RangeError(''))).toBe('RangeError');
  });

  it('renders a thrown string or value', async () => {
    expect(await outputOf('plain')).toBe('plain');
    expect(await outputOf({ code: 42 })).toBe('{"code":42}');
  });

  it('cuts an output longer than 1,000 characters', async () => {
    const monitor = new HealthMonitor({
      checks: [{ name: 'x', run: () => ({ status: 'warn', output: 'y'.repeat(5_000) }) }],
    });
    const output = (await monitor.check()).checks.x?.output ?? '';
    expect(output).toHaveLength(1_000);
    expect(output.endsWith('…')).toBe(true);
  });

  it('keeps only the known fields of an outcome', async () => {
    const monitor = new HealthMonitor({
      checks: [{ name: 'x', run: () => ({ status: 'pass', secret: 'hunter2' }) as never }],
    });
    expect(JSON.stringify(await monitor.check())).not.toContain('hunter2');
  });

  it('rejects details that are not plain readings', async () => {
    const monitor = new HealthMonitor({
      checks: [{ name: 'x', run: () => ({ status: 'pass', details: { nested: {} } }) as never }],
    });
    expect((await monitor.check()).checks.x?.output).toContain(
      'details.nested is not a finite number, a string, a boolean or null',
    );
  });
});
