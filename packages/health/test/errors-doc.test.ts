import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'errors.md');
// Every quoted upper-case code the source throws: this package's own and core's it reuses.
const CODE = /'((?:HEALTH|INVALID)_[A-Z_]+)'/g;
const OWN = ['HEALTH_CLOSED', 'HEALTH_CHECK_TIMEOUT'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('docs/errors.md', () => {
  const doc = readFileSync(DOC, 'utf8');

  it('has a section for every error code in the source', () => {
    const codes = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      for (const match of readFileSync(file, 'utf8').matchAll(CODE)) codes.add(match[1] as string);
    }
    expect([...codes]).toEqual(
      expect.arrayContaining([...OWN, 'INVALID_OPTION', 'INVALID_DURATION']),
    );
    const headings = new Set([...doc.matchAll(/^## ([A-Z_]+)$/gm)].map((m) => m[1] as string));
    const missing = [...codes].filter((code) => !headings.has(code));
    expect(missing).toEqual([]);
  });

  it("lists this package's own codes under its heading", () => {
    const start = doc.indexOf('# @vigil/health\n');
    expect(start).toBeGreaterThanOrEqual(0);
    const next = doc.indexOf('\n# @vigil/', start + 1);
    const section = doc.slice(start, next < 0 ? undefined : next);
    for (const code of OWN) expect(section).toContain(`## ${code}\n`);
  });
});
