import { describe, expect, it } from 'vitest';
import { acceptsGzip, negotiateFormat } from '../src/index.js';

describe('negotiateFormat', () => {
  it('chooses OpenMetrics only when Accept asks for it at least as much as for text', () => {
    const cases: Array<[string | undefined, 'prometheus' | 'openmetrics']> = [
      [undefined, 'prometheus'],
      ['*/*', 'prometheus'],
      ['text/plain;version=0.0.4', 'prometheus'],
      ['application/openmetrics-text;version=1.0.0', 'openmetrics'],
      [
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
        'openmetrics',
      ],
      ['text/plain;version=0.0.4;q=1, application/openmetrics-text;q=0.5', 'prometheus'],
      ['application/openmetrics-text;q=0', 'prometheus'],
      ['Application/OpenMetrics-Text', 'openmetrics'],
      ['application/openmetrics-text; version=1.0.0; q=0.9, */*;q=0.1', 'openmetrics'],
    ];
    for (const [accept, format] of cases)
      expect(negotiateFormat(null, accept), accept).toBe(format);
  });

  it('lets the format parameter win over Accept, and rejects other formats', () => {
    expect(negotiateFormat('prometheus', 'application/openmetrics-text')).toBe('prometheus');
    expect(negotiateFormat('openmetrics', 'text/plain')).toBe('openmetrics');
    expect(() => negotiateFormat('', undefined)).toThrow(
      expect.objectContaining({ code: 'HTTP_BAD_REQUEST', status: 400 }),
    );
  });
});

describe('acceptsGzip', () => {
  it('accepts gzip, x-gzip and * unless their q is 0', () => {
    const cases: Array<[string | undefined, boolean]> = [
      [undefined, false],
      ['', false],
      ['identity', false],
      ['gzip', true],
      ['deflate, gzip;q=0.5', true],
      ['x-gzip', true],
      ['*', true],
      ['gzip;q=0', false],
      ['gzip;q=0, *', false],
      ['*;q=0', false],
      ['br, *;q=0.1', true],
      ['GZIP', true],
    ];
    for (const [header, accepted] of cases) expect(acceptsGzip(header), header).toBe(accepted);
  });
});
