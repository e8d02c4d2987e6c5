import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { compileTemplate, TemplateError } from '../src/index.js';

const expand = (template: string, value = 0, labels: Record<string, string> = {}): string =>
  compileTemplate(template).expand({ labels, value });

describe('templates', () => {
  it('prints $value as Go prints a float64', () => {
    expect(expand('{{ $value }}', 0.5)).toBe('0.5');
    expect(expand('{{ $value }}', 123456)).toBe('123456');
    expect(expand('{{ $value }}', 1234567)).toBe('1.234567e+06');
    expect(expand('{{ $value }}', 0.00001)).toBe('1e-05');
    expect(expand('{{ .Value }}', Number.POSITIVE_INFINITY)).toBe('+Inf');
    expect(expand('{{ $value }}', Number.NaN)).toBe('NaN');
  });

  it('reads labels, missing ones as empty, and never the prototype', () => {
    expect(
      expand('{{ $labels.route }} on {{ .Labels.instance }}', 0, { route: '/a', instance: 'h:1' }),
    ).toBe('/a on h:1');
    expect(expand('[{{ $labels.missing }}]')).toBe('[]');
    expect(expand('[{{ $labels.constructor }}]')).toBe('[]');
    expect(expand('[{{ $labels.__proto__ }}]')).toBe('[]');
  });

  it.each([
    ['{{ humanize $value }}', 1234567, '1.235M'],
    ['{{ $value | humanize }}', 0.000123, '123u'],
    ['{{ humanize $value }}', 0, '0'],
    ['{{ humanize1024 $value }}', 2048, '2ki'],
    ['{{ humanizeDuration $value }}', 90061, '1d 1h 1m 1s'],
    ['{{ humanizeDuration $value }}', 61.5, '1m 1s'],
    ['{{ humanizeDuration $value }}', 1.5, '1.5s'],
    ['{{ humanizeDuration $value }}', 0.25, '250ms'],
    ['{{ humanizePercentage $value }}', 0.1234, '12.34%'],
    ['{{ printf "%.2f" $value }}', 1.23456, '1.23'],
    ['{{ $value | printf "%.1f%%" }}', 99.95, '100.0%'],
    ['{{ printf "%5.1f|%-6s|%d" $value "ab" 7 }}', 2.25, '  2.2|ab    |7'],
    ['{{- " trimmed " -}}  x', 0, ' trimmed x'],
    ['{{ printf "%.1f %.0f %.2f" 0.25 2.5 1.005 }}', 0, '0.2 2 1.00'],
    ['{{ printf "%.2g" 0.125 }}', 0, '0.12'],
  ])('%s of %s is %s', (template, value, out) => {
    expect(expand(template, value)).toBe(out);
  });

  it.each([
    ['{{ $value', /unclosed action/],
    ['{{ if $value }}x{{ end }}', /"if" is not supported/],
    ['{{ query "up" }}', /"query" is not supported/],
    ['{{ $value.constructor }}', /not supported/],
    ['{{ }}', /empty action/],
  ])('refuses %s', (template, message) => {
    const error = caught(() => compileTemplate(template));
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as Error).message).toMatch(message);
  });
});
