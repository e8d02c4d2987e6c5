import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { type ParsedFamily, parseExposition } from '@vigil/test-support';
import { beforeAll, describe, expect, it } from 'vitest';

// Libraries built on prom-client, unchanged, with prom-client resolved to @vigil/prom-client
// (compat/vigil, "prom-client": "workspace:@vigil/prom-client@*") and to the real prom-client
// 15.1.3 (compat/original): the same app, the same requests, their /metrics compared.
const APP = join(import.meta.dirname, '..', 'compat', 'app.mjs');

interface Texts {
  bundleText: string;
  promsterText: string;
}

function run(side: 'vigil' | 'original'): Texts {
  const texts = JSON.parse(execFileSync(process.execPath, [APP, side], { encoding: 'utf8' }));
  // prom-client separates families with a blank line, which the test parser does not take.
  const compact = (text: string) => text.replace(/\n\n+/g, '\n');
  return { bundleText: compact(texts.bundleText), promsterText: compact(texts.promsterText) };
}

/** name → type, help and the samples' names and label sets (values left out). */
function shape(families: readonly ParsedFamily[]) {
  return families.map((family) => ({
    name: family.name,
    type: family.type,
    help: family.help,
    samples: family.samples.length,
  }));
}

/** The values of counters and of histograms' `_count` samples: what requests decide. */
function counts(family: ParsedFamily | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const sample of family?.samples ?? []) {
    if (family?.type === 'histogram' && !sample.name.endsWith('_count')) continue;
    out[`${sample.name}${JSON.stringify(sample.labels)}`] = sample.value;
  }
  return out;
}

let vigil: Texts;
let original: Texts;
beforeAll(() => {
  vigil = run('vigil');
  original = run('original');
});

describe('libraries built on prom-client run unchanged on @vigil/prom-client', () => {
  it('express-prom-bundle 8 on Express 5: the same families, series and request counts', () => {
    const ours = parseExposition(vigil.bundleText).families;
    const theirs = parseExposition(original.bundleText).families;
    expect(shape(ours)).toEqual(shape(theirs));
    const name = 'http_request_duration_seconds';
    const find = (families: readonly ParsedFamily[]) => families.find((f) => f.name === name);
    expect(counts(find(ours))).toEqual(counts(find(theirs)));
    expect(counts(find(ours))).toEqual({
      'http_request_duration_seconds_count{"status_code":"200","method":"GET","path":"/users/#val"}': 5,
      'http_request_duration_seconds_count{"status_code":"500","method":"GET","path":"/fail"}': 3,
      'http_request_duration_seconds_count{"status_code":"404","method":"GET","path":"/missing"}': 2,
    });
  });

  it('@promster/express 14: the same families in the same order, and the same request counts', () => {
    const ours = parseExposition(vigil.promsterText).families;
    const theirs = parseExposition(original.promsterText).families;
    expect(ours.map((f) => [f.name, f.type, f.help])).toEqual(
      theirs.map((f) => [f.name, f.type, f.help]),
    );
    for (const name of ['http_requests_total', 'http_request_duration_seconds']) {
      const find = (families: readonly ParsedFamily[]) => families.find((f) => f.name === name);
      expect(counts(find(ours))).toEqual(counts(find(theirs)));
    }
    const requests = ours.find((f) => f.name === 'http_requests_total');
    expect(requests?.samples.reduce((sum, sample) => sum + sample.value, 0)).toBe(10);
  });
});
