import { describe, expect, it } from 'vitest';
import { caught, deferred, parseExposition, rejection } from '../src/index.js';

describe('caught and rejection', () => {
  it('return what was thrown or rejected, and fail when nothing was', async () => {
    const error = new Error('boom');
    expect(
      caught(() => {
        throw error;
      }),
    ).toBe(error);
    expect(() => caught(() => 1)).toThrow();
    expect(await rejection(Promise.reject(error))).toBe(error);
    await expect(rejection(Promise.resolve(1))).rejects.toThrow();
  });
});

describe('deferred', () => {
  it('settles the promise from outside', async () => {
    const waiting = deferred<number>();
    waiting.resolve(7);
    expect(await waiting.promise).toBe(7);
  });
});

describe('parseExposition', () => {
  it('unescapes label values and help text, and rejects what it does not understand', () => {
    const text =
      '# HELP up_total Line one\\nline two.\n# TYPE up_total counter\nup_total{path="C:\\\\x",q="say \\"hi\\""} 3\n';
    const [family] = parseExposition(text).families;
    expect(family?.help).toBe('Line one\nline two.');
    expect(family?.samples[0]).toMatchObject({
      labels: { path: 'C:\\x', q: 'say "hi"' },
      value: 3,
    });
    expect(() => parseExposition('up{a="1} 1\n')).toThrow();
  });
});
