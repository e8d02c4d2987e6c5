import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

// The README's example runs against the built package, as a user would run it
// (`pnpm turbo run build --filter=@vigil/prom-client...` first).
describe('README', () => {
  it('has one block meant to run', () => {
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    expect([...readme.matchAll(/```(ts|js)\n/g)].length).toBe(1);
  });

  it('the example prints what the README shows', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 0 });
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const shown = /\nprints\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    // console.log adds a line break after the exposition's own.
    expect(printed).toBe(`${shown}\n`);
  });
});
