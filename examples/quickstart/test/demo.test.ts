import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs the demo as `pnpm demo` does (tsx), on a free port; answers its exit code and output. */
function runDemo(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('the demo', () => {
  it('runs for ten seconds and shows the jobs: progress, the breaker, dead letters, the replay', async () => {
    const { code, output } = await runDemo();
    expect(code, output).toBe(0);
    expect(output).toMatch(/^done: the demo recorded \d+ requests and completed \d+ jobs$/m);
    expect(output).not.toMatch(/Warning|VIGIL_|Error/);
    // Progress, as the table shows it.
    expect(output).toMatch(/^ {4}send-email .* \d+ % (rendered|sent)$/m);
    expect(output).toMatch(/^ {4}export-data .* \d+ % rows \d+\/8000$/m);
    // The partner sync's breaker opens, its dead letters fill, and their replay succeeds.
    expect(output).toContain('sync-partner: breaker open after 8 failed attempts in a row');
    expect(output).toMatch(/^ {4}sync-partner +\d+ +\d+ +\d+ +\d+ +[1-9]\d* +open /m);
    const letters = [...output.matchAll(/dead-lettered after 2 attempts/g)].length;
    expect(letters).toBeGreaterThan(0);
    expect(output).toContain('sync-partner: breaker closed after a successful probe');
    expect(output).toContain(`replay: ${letters} of ${letters} dead letters succeeded`);
    expect(output).toMatch(
      new RegExp(`^ {2}replay {11}${letters} dead letters replayed: ${letters} succeeded$`, 'm'),
    );
  }, 60_000);
});
