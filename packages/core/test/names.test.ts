import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, Registry } from '../src/index.js';

type Kind = 'counter' | 'gauge' | 'histogram' | 'summary';
const KINDS: Kind[] = ['counter', 'gauge', 'histogram', 'summary'];

function define(kind: Kind, name: string, labelNames: readonly string[] = []): unknown {
  const registry = new Registry();
  const options = { name, help: 'Help.', labelNames };
  return caught(() => {
    if (kind === 'counter') registry.counter(options);
    else if (kind === 'gauge') registry.gauge(options);
    else if (kind === 'histogram') registry.histogram(options);
    else registry.summary(options);
  });
}

function defines(kind: Kind, name: string, labelNames: readonly string[] = []): void {
  const registry = new Registry();
  const options = { name, help: 'Help.', labelNames };
  if (kind === 'counter') registry.counter(options);
  else if (kind === 'gauge') registry.gauge(options);
  else if (kind === 'histogram') registry.histogram(options);
  else registry.summary(options);
}

function expectCode(error: unknown, code: string): void {
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(error).toMatchObject({ code });
}

describe('metric names', () => {
  it.each([
    'http_requests_total',
    'a',
    '_private',
    ':colon_first',
    'namespace:rule:rate5m',
    'UPPER_case_9',
  ])('accepts %j', (name) => {
    for (const kind of KINDS) expect(() => defines(kind, name)).not.toThrow();
  });

  it.each(['', '9lives', 'http-requests', 'with space', 'dotted.name', 'ünïcode', 'new\nline'])(
    'rejects %j with INVALID_METRIC_NAME',
    (name) => {
      for (const kind of KINDS) {
        const error = define(kind, name);
        expectCode(error, 'INVALID_METRIC_NAME');
        expect((error as Error).message).toContain('[a-zA-Z_:][a-zA-Z0-9_:]*');
      }
    },
  );

  it('rejects a name that is not a string', () => {
    expectCode(define('counter', 42 as never), 'INVALID_METRIC_NAME');
  });

  it('refuses a prefix that cannot start a metric name when the registry is made', () => {
    const error = caught(() => new Registry({ prefix: '1app_' }));
    expectCode(error, 'INVALID_OPTION');
    expect((error as Error).message).toContain('"1app_"');
  });
});

describe('label names', () => {
  it.each(['method', '_route', 'status_code', 'A9'])('accepts %j', (label) => {
    for (const kind of KINDS) expect(() => defines(kind, 'm', [label])).not.toThrow();
  });

  it.each(['9x', 'http-method', 'a:b', 'with space', '', 'é'])(
    'rejects %j with INVALID_LABEL_NAME',
    (label) => {
      for (const kind of KINDS) {
        const error = define(kind, 'm', [label]);
        expectCode(error, 'INVALID_LABEL_NAME');
        expect((error as Error).message).toContain('[a-zA-Z_][a-zA-Z0-9_]*');
      }
    },
  );

  it('rejects a name starting with __, which Prometheus reserves', () => {
    for (const kind of KINDS) {
      const error = define(kind, 'm', ['__name__']);
      expectCode(error, 'INVALID_LABEL_NAME');
      expect((error as Error).message).toContain("'__name__'");
    }
    expectCode(define('counter', 'm', ['__x']), 'INVALID_LABEL_NAME');
  });

  it('rejects a name listed twice', () => {
    for (const kind of KINDS) {
      const error = define(kind, 'm', ['method', 'route', 'method']);
      expectCode(error, 'INVALID_LABEL_NAME');
      expect((error as Error).message).toContain('twice');
    }
  });

  it('reserves le on histograms only', () => {
    const error = define('histogram', 'm', ['le']);
    expectCode(error, 'INVALID_LABEL_NAME');
    expect((error as Error).message).toContain("'le'");
    expect(() => defines('counter', 'm', ['le'])).not.toThrow();
    expect(() => defines('gauge', 'm', ['le'])).not.toThrow();
    expect(() => defines('summary', 'm', ['le'])).not.toThrow();
  });

  it('reserves quantile on summaries only', () => {
    const error = define('summary', 'm', ['quantile']);
    expectCode(error, 'INVALID_LABEL_NAME');
    expect((error as Error).message).toContain("'quantile'");
    expect(() => defines('counter', 'm', ['quantile'])).not.toThrow();
    expect(() => defines('gauge', 'm', ['quantile'])).not.toThrow();
    expect(() => defines('histogram', 'm', ['quantile'])).not.toThrow();
  });

  it('rejects labelNames that are not an array', () => {
    expectCode(define('counter', 'm', 'method' as never), 'INVALID_LABEL_NAME');
  });

  it('rejects a label name that is not a string', () => {
    expectCode(define('gauge', 'm', [7 as never]), 'INVALID_LABEL_NAME');
  });
});

describe('default label names', () => {
  it('are checked against the label name pattern', () => {
    expectCode(
      caught(() => new Registry({ defaultLabels: { 'service-name': 'api' } })),
      'INVALID_LABEL_NAME',
    );
  });

  it('may not start with __, which Prometheus reserves', () => {
    expectCode(
      caught(() => new Registry({ defaultLabels: { __name__: 'api' } })),
      'INVALID_LABEL_NAME',
    );
  });

  it('must have string values', () => {
    expectCode(
      caught(() => new Registry({ defaultLabels: { service: 42 as never } })),
      'INVALID_OPTION',
    );
  });
});

describe('default labels and the labels a metric type reserves', () => {
  // Either the registry refuses the default label, or the histogram / summary refuses to join a
  // registry whose default labels would duplicate its le / quantile label in the exposition.
  it('a default label named le never reaches a histogram', () => {
    const error = caught(() => {
      const registry = new Registry({ defaultLabels: { le: 'x' } });
      registry.histogram({ name: 'latency_seconds', help: 'Latency.' });
    });
    expectCode(error, 'INVALID_LABEL_NAME');
    expect((error as Error).message).toContain("'le'");
  });

  it('a default label named quantile never reaches a summary', () => {
    const error = caught(() => {
      const registry = new Registry({ defaultLabels: { quantile: 'x' } });
      registry.summary({ name: 'query_seconds', help: 'Queries.' });
    });
    expectCode(error, 'INVALID_LABEL_NAME');
    expect((error as Error).message).toContain("'quantile'");
  });
});
