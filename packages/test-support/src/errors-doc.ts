import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** A package's codes as its source declares them, for `describeErrorsDoc`. */
export interface ErrorsDocOptions {
  /** The package's `# @vigil/…` heading in `docs/errors.md`, such as `'@vigil/http'`. */
  readonly section: string;
  /**
   * The codes the package declares as its own (its `…_ERROR_CODES` array): each has a
   * `## CODE` heading in the package's section, and the section documents no other code.
   */
  readonly codes: readonly string[];
  /** Codes of other packages it throws or answers (core's `INVALID_OPTION`): documented anywhere. */
  readonly reuses?: readonly string[];
  /** The warning codes it emits (core's `WARNING_CODES`): each under `# Warnings`. */
  readonly warnings?: readonly string[];
  /**
   * Upper-case literals in the source that look like codes and are not Vigil's (`SQLITE_BUSY`,
   * `EAI_AGAIN`): every other `'WORD_WORD'` literal must be declared, reused or a warning.
   */
  readonly foreign?: readonly string[];
  /** The package's `src` folder, scanned for code-like literals; default: none scanned. */
  readonly srcDir?: string;
  /** The file to check; default: `docs/errors.md` of this repository. */
  readonly doc?: string;
}

const REPOSITORY_DOC = join(import.meta.dirname, '..', '..', '..', 'docs', 'errors.md');
// A code-like string literal: upper-case words joined by `_`, in single quotes (biome's style).
const CODE_LIKE = /'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g;

/**
 * Declares the `docs/errors.md` tests of a package, against the codes its source declares (not a
 * pattern per package): every declared code is documented in the package's section and the
 * section documents nothing else; reused codes and warnings are documented; and, with `srcDir`,
 * the source holds no code-like literal that is none of these (an undocumented code thrown ad hoc).
 */
export function describeErrorsDoc(options: ErrorsDocOptions): void {
  const { section, codes, reuses = [], warnings = [], foreign = [], srcDir } = options;
  const docPath = options.doc ?? REPOSITORY_DOC;
  describe(`docs/errors.md, # ${section}`, () => {
    it('documents every code the package declares, and no other', () => {
      const documented = headings(sectionOf(readFileSync(docPath, 'utf8'), section));
      expect([...documented].sort()).toEqual([...new Set(codes)].sort());
    });

    if (reuses.length > 0) {
      it('documents the codes it reuses from other packages', () => {
        const documented = headings(readFileSync(docPath, 'utf8'));
        expect(reuses.filter((code) => !documented.has(code))).toEqual([]);
      });
    }

    if (warnings.length > 0) {
      it('documents its warning codes under # Warnings', () => {
        const documented = headings(sectionOf(readFileSync(docPath, 'utf8'), 'Warnings'));
        expect(warnings.filter((code) => !documented.has(code))).toEqual([]);
      });
    }

    if (srcDir !== undefined) {
      it('uses no code in its source that it does not declare', () => {
        const known = new Set([...codes, ...reuses, ...warnings, ...foreign]);
        const undeclared = [...codeLikeLiterals(srcDir)].filter((code) => !known.has(code));
        expect(undeclared).toEqual([]);
      });
    }
  });
}

/** Every code-like literal in the files below `dir`. */
function codeLikeLiterals(dir: string): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles(dir)) {
    for (const match of readFileSync(file, 'utf8').matchAll(CODE_LIKE)) {
      found.add(match[1] as string);
    }
  }
  return found;
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
  return new Set([...text.matchAll(/^## ([A-Z0-9_]+)$/gm)].map((m) => m[1] as string));
}
