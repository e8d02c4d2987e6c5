import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'errors.md');
const CODE = /'(STORE_[A-Z_]+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('docs/errors.md', () => {
  it('has a section for every storage error code in the source', () => {
    const codes = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      for (const match of readFileSync(file, 'utf8').matchAll(CODE)) codes.add(match[1] as string);
    }
    expect([...codes].sort()).toEqual([
      'STORE_CORRUPT',
      'STORE_INVALID_ARGUMENT',
      'STORE_UNAVAILABLE',
    ]);
    const doc = readFileSync(DOC, 'utf8');
    const section = doc.slice(doc.indexOf('# @vigil/storage'));
    expect(section.startsWith('# @vigil/storage')).toBe(true);
    const headings = new Set([...section.matchAll(/^## ([A-Z_]+)$/gm)].map((m) => m[1] as string));
    const missing = [...codes].filter((code) => !headings.has(code));
    expect(missing).toEqual([]);
  });
});
