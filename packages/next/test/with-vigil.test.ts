import { Registry, VigilError } from '@vigil/core';
import { errorType, HttpMetrics } from '@vigil/http';
import { notFound, permanentRedirect, redirect } from 'next/navigation.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
// @vigil/timers is @vigil/http's dependency, not this package's: its build, as @vigil/http loads it.
import { currentScope } from '../../timers/dist/index.js';
import { withVigil } from '../src/index.js';
import { resetGlobals } from './support/reset.js';
import { requestLabels, sample } from './support/sample.js';

const DURATION = 'http_server_request_duration_seconds';
const COUNT = `${DURATION}_count`;

let registry: Registry;

beforeEach(() => {
  registry = resetGlobals();
});

afterEach(() => {
  vi.useRealTimers();
});

type Context = { params: Promise<{ id: string }> };
const context = (id: string): Context => ({ params: Promise.resolve({ id }) });

const getUser = withVigil(
  async (_request: Request, { params }: Context) => Response.json({ id: (await params).id }),
  { route: '/api/users/[id]' },
);

describe('withVigil', () => {
  it('records each request under its method, the route template and the status', async () => {
    for (const id of ['1', '2', '42']) {
      const response = await getUser(new Request(`http://app.test/api/users/${id}`), context(id));
      expect(await response.json()).toEqual({ id });
    }
    await getUser(new Request('http://app.test/api/users/7', { method: 'DELETE' }), context('7'));
    const text = await registry.metrics();
    expect(sample(text, COUNT, requestLabels('GET', '/api/users/[id]', '200'))).toBe(3);
    expect(sample(text, COUNT, requestLabels('DELETE', '/api/users/[id]', '200'))).toBe(1);
    expect(text).not.toContain('/api/users/42');
    expect(sample(text, 'http_server_active_requests', 'http_request_method="GET"')).toBe(0);
  });

  it('passes the request and the context through and returns the handler’s response as is', async () => {
    const original = new Response('made', { status: 201, headers: { 'x-made': 'yes' } });
    const handler = vi.fn(async (_request: Request, _context: Context) => original);
    const wrapped = withVigil(handler, { route: '/api/users/[id]' });
    const request = new Request('http://app.test/api/users/3', { method: 'POST' });
    const ctx = context('3');
    expect(await wrapped(request, ctx)).toBe(original);
    expect(handler).toHaveBeenCalledWith(request, ctx);
    const text = await registry.metrics();
    expect(sample(text, COUNT, requestLabels('POST', '/api/users/[id]', '201'))).toBe(1);
  });

  it('measures the time until the handler returns its response', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const slow = withVigil(
      async () => {
        vi.advanceTimersByTime(120);
        return new Response('ok');
      },
      { route: '/api/slow' },
    );
    await slow(new Request('http://app.test/api/slow'));
    const text = await registry.metrics();
    expect(sample(text, `${DURATION}_sum`, requestLabels('GET', '/api/slow', '200'))).toBeCloseTo(
      0.12,
      9,
    );
    expect(
      sample(text, `${DURATION}_bucket`, `${requestLabels('GET', '/api/slow', '200')},le="0.1"`),
    ).toBe(0);
    expect(
      sample(text, `${DURATION}_bucket`, `${requestLabels('GET', '/api/slow', '200')},le="0.25"`),
    ).toBe(1);
  });

  it('records a thrown error as a 500 typed by the error’s name, and rethrows it', async () => {
    class OutOfStockError extends Error {}
    class NamedError extends Error {
      override name = 'PaymentDeclined';
    }
    const errors = [new OutOfStockError('none'), new NamedError('no'), new TypeError('x')];
    let next = 0;
    const wrapped = withVigil(
      (): Response => {
        throw errors[next++];
      },
      { route: '/api/order' },
    );
    for (const error of errors) {
      await expect(wrapped(new Request('http://app.test/api/order'))).rejects.toBe(error);
    }
    const text = await registry.metrics();
    for (const errorType of ['OutOfStockError', 'PaymentDeclined', 'TypeError']) {
      expect(sample(text, COUNT, requestLabels('GET', '/api/order', '500', errorType))).toBe(1);
    }
    expect(sample(text, 'http_server_active_requests', 'http_request_method="GET"')).toBe(0);
  });

  it('labels a VigilError by its class, the rule @vigil/http and every adapter share', async () => {
    class BreakerOpenError extends VigilError {
      static override readonly brand = 'vigil.test.BreakerOpenError';
      constructor() {
        super('BREAKER_OPEN', 'the circuit is open');
      }
    }
    const wrapped = withVigil(
      (): Response => {
        throw new BreakerOpenError();
      },
      { route: '/api/partner' },
    );
    await expect(wrapped(new Request('http://app.test/api/partner'))).rejects.toBeInstanceOf(
      BreakerOpenError,
    );
    const text = await registry.metrics();
    expect(errorType(new BreakerOpenError())).toBe('BreakerOpenError');
    expect(
      sample(text, COUNT, requestLabels('GET', '/api/partner', '500', 'BreakerOpenError')),
    ).toBe(1);
  });

  it('records a thrown non-error as a 500 with error_type _OTHER', async () => {
    const wrapped = withVigil(
      (): Response => {
        throw 'plain string';
      },
      { route: '/api/odd' },
    );
    await expect(wrapped(new Request('http://app.test/api/odd'))).rejects.toBe('plain string');
    const text = await registry.metrics();
    expect(sample(text, COUNT, requestLabels('GET', '/api/odd', '500', '_OTHER'))).toBe(1);
  });

  it('records redirect() and notFound() with the status Next.js answers, not as failures', async () => {
    const outcomes = [
      () => redirect('/login'),
      () => permanentRedirect('/new-home'),
      () => notFound(),
      () => {
        // forbidden() (behind experimental.authInterrupts) throws this digest.
        throw Object.assign(new Error('NEXT_HTTP_ERROR_FALLBACK;403'), {
          digest: 'NEXT_HTTP_ERROR_FALLBACK;403',
        });
      },
      () => {
        // Next.js 15.0's notFound().
        throw Object.assign(new Error('NEXT_NOT_FOUND'), { digest: 'NEXT_NOT_FOUND' });
      },
    ];
    const wrapped = withVigil(
      (): Response => {
        outcomes.shift()?.();
        return new Response('unreachable');
      },
      { route: '/api/page' },
    );
    for (let i = 0; i < 5; i++) {
      const thrown = await wrapped(new Request('http://app.test/api/page')).catch((e) => e);
      expect(typeof (thrown as { digest?: unknown }).digest).toBe('string');
    }
    const text = await registry.metrics();
    expect(sample(text, COUNT, requestLabels('GET', '/api/page', '307'))).toBe(1);
    expect(sample(text, COUNT, requestLabels('GET', '/api/page', '308'))).toBe(1);
    expect(sample(text, COUNT, requestLabels('GET', '/api/page', '404'))).toBe(2);
    expect(sample(text, COUNT, requestLabels('GET', '/api/page', '403'))).toBe(1);
    expect(text).not.toContain('http_response_status_code="500"');
  });

  it('records a handler that returns no Response as the 500 Next.js answers', async () => {
    const wrapped = withVigil((() => undefined) as unknown as () => Response, { route: '/api/x' });
    await wrapped(new Request('http://app.test/api/x'));
    const text = await registry.metrics();
    expect(sample(text, COUNT, requestLabels('GET', '/api/x', '500', '500'))).toBe(1);
  });

  it('records an unknown method as _OTHER', async () => {
    const wrapped = withVigil(() => new Response(null, { status: 204 }), { route: '/api/x' });
    await wrapped(new Request('http://app.test/api/x', { method: 'PROPFIND' }));
    const text = await registry.metrics();
    expect(sample(text, COUNT, requestLabels('_OTHER', '/api/x', '204'))).toBe(1);
  });

  it('records into the registry set when the request comes, not when the handler was wrapped', async () => {
    const wrapped = withVigil(() => new Response('ok'), { route: '/api/late' });
    const later = resetGlobals();
    await wrapped(new Request('http://app.test/api/late'));
    expect(sample(await later.metrics(), COUNT, requestLabels('GET', '/api/late', '200'))).toBe(1);
    expect(await registry.metrics()).not.toContain('/api/late');
  });

  it('records into the metrics it is given', async () => {
    const own = new Registry();
    const metrics = new HttpMetrics({ registry: own, buckets: [0.5, 1] });
    const wrapped = withVigil(() => new Response('ok'), { route: '/api/own', metrics });
    await wrapped(new Request('http://app.test/api/own'));
    const text = await own.metrics();
    expect(sample(text, COUNT, requestLabels('GET', '/api/own', '200'))).toBe(1);
    expect(text).toContain('le="0.5"');
    expect(await registry.metrics()).not.toContain('/api/own');
  });

  it('adds Server-Timing from the timings of the handler’s scope when serverTiming is on', async () => {
    const handler = async () => {
      currentScope()?.add('db', 12.5);
      return new Response('ok');
    };
    const timed = withVigil(handler, { route: '/api/timed', serverTiming: true });
    const response = await timed(new Request('http://app.test/api/timed'));
    expect(response.headers.get('server-timing')).toBe('db;dur=12.5');
    const plain = withVigil(handler, { route: '/api/plain' });
    const untimed = await plain(new Request('http://app.test/api/plain'));
    expect(untimed.headers.has('server-timing')).toBe(false);
  });

  it.each([
    ['a missing route', { route: undefined }, "route should be the route's template"],
    ['a raw URL as route', { route: 'api/users/1?x=1' }, 'got "api/users/1?x=1"'],
    ['an unknown option', { route: '/x', rout: '/x' }, "unknown option 'rout'"],
    [
      'metrics that are not HttpMetrics',
      { route: '/x', metrics: {} },
      'metrics should be an HttpMetrics',
    ],
    [
      'a non-boolean serverTiming',
      { route: '/x', serverTiming: 'yes' },
      'serverTiming should be true or false',
    ],
  ])('throws INVALID_OPTION at wrap time for %s', (_name, options, message) => {
    let thrown: unknown;
    try {
      withVigil(() => new Response(), options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect((thrown as Error).message).toContain(message);
  });

  it('throws INVALID_OPTION when the handler is not a function', () => {
    expect(() => withVigil('GET' as never, { route: '/x' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    );
  });
});
