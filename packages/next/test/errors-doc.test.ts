import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'errors.md');
// @vigil/next has no codes of its own: options throw core's codes, answers use @vigil/http's.
const CODE = /'((?:INVALID|HTTP)_[A-Z_]+)'/g;

describe('docs/errors.md', () => {
  it('has a section for every error code the source throws or answers', () => {
    const codes = new Set<string>();
    for (const file of readdirSync(SRC)) {
      for (const match of readFileSync(join(SRC, file), 'utf8').matchAll(CODE)) {
        codes.add(match[1] as string);
      }
    }
    expect([...codes].sort()).toEqual(['HTTP_NOT_FOUND', 'INVALID_OPTION']);
    const headings = new Set(
      [...readFileSync(DOC, 'utf8').matchAll(/^## ([A-Z_]+)$/gm)].map((m) => m[1] as string),
    );
    expect([...codes].filter((code) => !headings.has(code))).toEqual([]);
  });
});
