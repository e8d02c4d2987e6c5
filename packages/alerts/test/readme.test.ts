import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

// The README's examples run against the built package, as a user would run them
// (`pnpm turbo run build --filter=@vigil/alerts...` first).
describe('README', () => {
  it('runs every block meant to run; fragments are marked', () => {
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    expect([...readme.matchAll(/```(ts|js)\n/g)].length).toBe(5);
    expect(readme).toContain('```ts fragment\n');
  });

  it('the AlertEngine example fires on a gauge, then resolves', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 1 })).resolves.toBe(
      'firing: emails: 250 jobs waiting\nresolved: QueueBacklog\n',
    );
  });

  it('the function rule example fires on the host’s own limits', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 2 })).resolves.toBe("[ 'sms: 40 waiting' ]\n");
  });

  it('the store example: one engine leads, the other shows its alerts', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 3 })).resolves.toBe(
      "true false [ 'Backlog' ]\n",
    );
  });

  it('the notifier example sends one notification for a group of two alerts', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 4 })).resolves.toBe('[FIRING:2] team Backlog\n');
  });

  it('the example goes pending, then firing, as the README shows', async () => {
    const printed = await runReadmeScript(PACKAGE, { block: 0 });
    const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
    const shown =
      /\nprints \(the same as `promtool test rules` says of this rule and history\)\n\n```\n([\s\S]*?)```/.exec(
        readme,
      )?.[1];
    expect(printed).toBe(shown);
  });
});
