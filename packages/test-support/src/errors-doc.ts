import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** What `describeErrorsDoc` checks beyond "every code in the source has a `## CODE` heading". */
export interface ErrorsDocOptions {
  /**
   * The package's `# @vigil/…` heading in `docs/errors.md`, such as `'@vigil/http'`. Without
   * `own`, every code found must be documented under it; without `section`, anywhere in the file.
   */
  readonly section?: string;
  /**
   * The package's own codes, which must be documented under `section`; the other codes found
   * (core's that the package reuses) may be documented anywhere in the file.
   */
  readonly own?: readonly string[];
  /** Assertions on the codes found in the source, such as how many there are. */
  found(codes: ReadonlySet<string>): void;
  /** The file to check; default: `docs/errors.md` of the repository `srcDir` belongs to. */
  readonly doc?: string;
}

/**
 * Declares the `docs/errors.md` tests of a package: every error code its source throws (each
 * first capture group of the global `codePattern`, such as `/'(HTTP_[A-Z_]+)'/g`, over every
 * file below `srcDir`) has a `## CODE` heading, in the package's section where one is named.
 */
export function describeErrorsDoc(
  srcDir: string,
  codePattern: RegExp,
  options: ErrorsDocOptions,
): void {
  const docPath = options.doc ?? join(srcDir, '..', '..', '..', 'docs', 'errors.md');
  const { section, own } = options;
  describe('docs/errors.md', () => {
    const where = section === undefined || own !== undefined ? '' : ` under # ${section}`;
    it(`has a section${where} for every error code in the source`, () => {
      const codes = errorCodes(srcDir, codePattern);
      options.found(codes);
      const doc = readFileSync(docPath, 'utf8');
      const documented = headings(where === '' ? doc : sectionOf(doc, section as string));
      const missing = [...codes].filter((code) => !documented.has(code));
      expect(missing).toEqual([]);
    });

    if (section !== undefined && own !== undefined) {
      it("lists this package's own codes under its heading", () => {
        const text = sectionOf(readFileSync(docPath, 'utf8'), section);
        for (const code of own) expect(text).toContain(`## ${code}\n`);
      });
    }
  });
}

/** Every error code in the files below `dir`: the first capture group of each match. */
function errorCodes(dir: string, codePattern: RegExp): Set<string> {
  const codes = new Set<string>();
  for (const file of sourceFiles(dir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(codePattern)) {
      codes.add(match[1] as string);
    }
  }
  return codes;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The text from the `# <name>` line up to the next `# ` heading (or the end). */
function sectionOf(doc: string, name: string): string {
  const start = doc.indexOf(`\n# ${name}\n`);
  expect(start, `docs/errors.md should have a "# ${name}" section`).toBeGreaterThanOrEqual(0);
  const rest = doc.slice(start + 1);
  const next = rest.slice(1).search(/^# /m);
  return next < 0 ? rest : rest.slice(0, next + 1);
}

/** The codes of the `## CODE` headings in `text`. */
function headings(text: string): Set<string> {
  return new Set([...text.matchAll(/^## ([A-Z_]+)$/gm)].map((m) => m[1] as string));
}
