import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  type Expr,
  evaluate,
  MemorySeries,
  PromqlEvaluationError,
  PromqlSyntaxError,
  parsePromql,
  UnsupportedPromqlError,
} from '../src/index.js';

function syntaxError(source: string): PromqlSyntaxError {
  const error = caught(() => parsePromql(source));
  expect(error, String(error)).toBeInstanceOf(PromqlSyntaxError);
  return error as PromqlSyntaxError;
}

function unsupported(source: string): UnsupportedPromqlError {
  const error = caught(() => parsePromql(source));
  expect(error, String(error)).toBeInstanceOf(UnsupportedPromqlError);
  return error as UnsupportedPromqlError;
}

describe('parsePromql', () => {
  it('reads selectors with the four matchers, ranges and offsets', () => {
    const expr = parsePromql(
      'rate(http_requests_total{code=~"5..", job!="x", a="1", b!~"c|d"}[5m] offset 1m)',
    );
    expect(expr).toMatchObject({
      kind: 'call',
      name: 'rate',
      args: [
        {
          kind: 'matrix-selector',
          range: 300_000,
          selector: {
            offset: 60_000,
            matchers: [
              { name: '__name__', type: '=', value: 'http_requests_total' },
              { name: 'code', type: '=~', value: '5..' },
              { name: 'job', type: '!=', value: 'x' },
              { name: 'a', type: '=', value: '1' },
              { name: 'b', type: '!~', value: 'c|d' },
            ],
          },
        },
      ],
    });
  });

  it('binds an offset to the selector before it, and ^ tighter than a sign, as Prometheus does', () => {
    const source = new MemorySeries();
    source.append({ __name__: 'x' }, 0, 10);
    source.append({ __name__: 'x' }, 120_000, 1);
    const at = (text: string, t: number): unknown => {
      const value = evaluate(parsePromql(text), t, { source });
      return value.type === 'scalar'
        ? value.value
        : value.type === 'vector'
          ? value.samples.map((s) => s.value)
          : value;
    };
    expect(at('x - x offset 2m', 120_000)).toEqual([-9]);
    expect(at('-2 ^ 2', 0)).toBe(-4);
    expect(at('2 ^ 3 ^ 2', 0)).toBe(512);
    expect(at('0X1F + 0x01', 0)).toBe(32);
  });

  it('reads aggregations with by and without, before or after the body, and their parameters', () => {
    expect(parsePromql('sum by (job) (x)')).toMatchObject({
      kind: 'aggregate',
      op: 'sum',
      without: false,
      labels: ['job'],
    });
    expect(parsePromql('sum(x) without (instance)')).toMatchObject({
      without: true,
      labels: ['instance'],
    });
    expect(parsePromql('topk(3, x)')).toMatchObject({
      op: 'topk',
      param: { kind: 'number', value: 3 },
    });
  });

  it('reads vector matching: on, ignoring, group_left with labels, bool', () => {
    expect(parsePromql('a * on(job) group_left(team) b')).toMatchObject({
      kind: 'binary',
      op: '*',
      matching: { on: true, labels: ['job'], card: 'many-to-one', include: ['team'] },
    });
    expect(parsePromql('a > bool ignoring(x) b')).toMatchObject({
      bool: true,
      matching: { on: false, labels: ['x'], card: 'one-to-one' },
    });
    expect(parsePromql('a and b')).toMatchObject({ matching: { card: 'many-to-many' } });
  });

  it.each([
    ['rate(x[5m:1m])', 'a subquery', 5],
    ['x @ 100', 'the @ modifier', 0],
    ['label_replace(x, "a", "$1", "b", "(.*)")', 'the function label_replace', 0],
    ['count_values("v", x)', 'the aggregation count_values', 0],
  ])('refuses %s, naming %s and its position', (source, construct, from) => {
    const error = unsupported(source);
    expect(error.code).toBe('PROMQL_UNSUPPORTED');
    expect(error.construct).toBe(construct);
    expect(error.position.from).toBe(from);
    expect(error.message).toContain(`${construct} at 1:${from + 1}`);
  });

  it.each([
    ['rate(x)', /expected type range vector in call to function "rate", got instant vector/],
    ['1 > 2', /comparisons between scalars must use BOOL modifier/],
    ['{job=~".*"}', /at least one non-empty matcher/],
    ['sum(x) offset 1m', /offset modifier must be preceded by an instant vector selector/],
    ['x and 1', /set operator "and" not allowed in binary scalar expression/],
    ['x + bool y', /bool modifier can only be used on comparison operators/],
    ['abs(x, y)', /expected 1 argument\(s\) in call to "abs", got 2/],
    ['x{a=~"("}', /bad regular expression/],
    ['sum(rate(x[5m])', /PromQL syntax error at 1:16 \(character 15\): unexpected end of input/],
    ['x[5x]', /PromQL syntax error/],
  ])('refuses %s with a syntax error', (source, message) => {
    const error = syntaxError(source);
    expect(error.code).toBe('PROMQL_SYNTAX');
    expect(error.message).toMatch(message);
  });

  it("answers Prometheus's error for many-to-many matching at evaluation", () => {
    const source = new MemorySeries();
    source.append({ __name__: 'a', job: 'x', instance: '1' }, 0, 1);
    source.append({ __name__: 'b', job: 'x', instance: '1' }, 0, 1);
    source.append({ __name__: 'b', job: 'x', instance: '2' }, 0, 1);
    const expr: Expr = parsePromql('a + on(job) b');
    const error = caught(() => evaluate(expr, 0, { source }));
    expect(error).toBeInstanceOf(PromqlEvaluationError);
    expect((error as Error).message).toMatch(/many-to-many matching not allowed/);
  });
});
