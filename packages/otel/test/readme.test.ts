import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

// The README's example runs against the built package, as a user would run it
// (`pnpm turbo run build --filter=@vigil/otel...` first).
describe('README', () => {
  it('runs every block meant to run; fragments are marked', () => {
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    expect([...readme.matchAll(/```(ts|js)\n/g)].length).toBe(1);
  });

  it('the example ships a Vigil counter through an exporter and serves an OTel counter', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 0 });
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const documented = /\nprints\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(printed).toBe(documented);
    expect(printed).toBe(
      'orders_total 3\npayments_captured_total{service="checkout",method="card",otel_scope_name="payments"} 2\n',
    );
  });
});
