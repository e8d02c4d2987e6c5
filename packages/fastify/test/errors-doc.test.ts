import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');
const DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'errors.md');
const CODE = /'(FASTIFY_[A-Z_]+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The `## CODE` headings under the `# @vigil/fastify` heading. */
function documentedCodes(): Set<string> {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf('\n# @vigil/fastify\n');
  expect(start, 'docs/errors.md should have a "# @vigil/fastify" section').toBeGreaterThanOrEqual(
    0,
  );
  const rest = doc.slice(start + 1);
  const next = rest.slice(1).search(/^# /m);
  const section = next < 0 ? rest : rest.slice(0, next + 1);
  return new Set([...section.matchAll(/^## ([A-Z_]+)$/gm)].map((m) => m[1] as string));
}

describe('docs/errors.md', () => {
  it('has a section under # @vigil/fastify for every error code in the source', () => {
    const codes = new Set<string>();
    for (const file of sourceFiles(SRC)) {
      for (const match of readFileSync(file, 'utf8').matchAll(CODE)) codes.add(match[1] as string);
    }
    expect(codes).toEqual(new Set(['FASTIFY_ALREADY_REGISTERED']));
    const missing = [...codes].filter((code) => !documentedCodes().has(code));
    expect(missing).toEqual([]);
  });
});
