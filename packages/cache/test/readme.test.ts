import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

// The README's examples run against the built package, as a user would run them
// (`pnpm turbo run build --filter=@vigil/cache...` first).
describe('README', () => {
  it('runs every block meant to run; fragments are marked', () => {
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    expect([...readme.matchAll(/```(ts|js)\n/g)].length).toBe(1);
  });

  it('the example loads once for 100 concurrent misses, and wraps a function', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 0 })).resolves.toBe('user 7 2 1\n');
  });
});
