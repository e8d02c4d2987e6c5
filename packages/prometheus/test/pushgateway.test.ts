import { Registry } from '@vigil/core';
import { manualClock } from '@vigil/core/testing';
import { caught, rejection, serveOnLoopback } from '@vigil/test-support';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PushError, Pushgateway } from '../src/index.js';
import { groupsOf, uniqueJob } from './support/pushgateway-groups.js';

const gatewayUrl = inject('pushgatewayUrl');

function jobRegistry(prefix: string): Registry {
  const registry = new Registry({ defaultLabels: { service: 'batch' } });
  registry.counter({ name: `${prefix}_rows_total`, help: 'Rows exported.' }).inc(42);
  registry.gauge({ name: `${prefix}_last_run_seconds`, help: 'When it ran.' }).set(1_700_000_000);
  const latency = registry.histogram({
    name: `${prefix}_step_seconds`,
    help: 'Step time.',
    labelNames: ['step'],
    buckets: [0.1, 1],
  });
  latency.observe({ step: 'read' }, 0.05);
  latency.observe({ step: 'read' }, 0.5);
  latency.observe({ step: 'read' }, 5);
  const sizes = registry.summary({ name: `${prefix}_batch_rows`, help: 'Rows per batch.' });
  for (let i = 1; i <= 100; i++) sizes.observe(i);
  return registry;
}

const closing: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((close) => close()));
});

describe('Pushgateway against the real Pushgateway 1.5', () => {
  for (const format of ['text', 'protobuf'] as const) {
    it(`push (${format}) stores every series of the registry under the job and grouping labels`, async () => {
      const job = uniqueJob(`export-${format}`);
      const prefix = `pg_${format}`;
      const gateway = new Pushgateway({
        url: gatewayUrl,
        job,
        groupingLabels: { instance: 'batch-7' },
        registry: jobRegistry(prefix),
        format,
      });
      await gateway.push();
      const [group] = await groupsOf(gatewayUrl, job);
      expect(group?.labels).toEqual({ job, instance: 'batch-7' });
      const families = group?.families ?? {};
      const labels = { job, instance: 'batch-7', service: 'batch' };
      expect(families[`${prefix}_rows_total`]).toMatchObject({
        type: 'COUNTER',
        help: 'Rows exported.',
        metrics: [{ labels, value: '42' }],
      });
      expect(Number(families[`${prefix}_last_run_seconds`]?.metrics[0]?.value)).toBe(1_700_000_000);
      expect(families[`${prefix}_step_seconds`]?.metrics[0]).toMatchObject({
        labels: { ...labels, step: 'read' },
        buckets: { '0.1': '1', '1': '2' },
        count: '3',
        sum: '5.55',
      });
      const summary = families[`${prefix}_batch_rows`]?.metrics[0];
      expect(summary?.count).toBe('100');
      expect(summary?.sum).toBe('5050');
      // The sketch's estimate of p50 of 1..100 lies within its 1 % relative error of 50.
      expect(Number(summary?.quantiles?.['0.5'])).toBeGreaterThan(49);
      expect(Number(summary?.quantiles?.['0.5'])).toBeLessThan(51.6);
    });
  }

  it('push replaces the group; pushAdd replaces only the families it sends', async () => {
    const job = uniqueJob('replace');
    const first = new Registry();
    first.counter({ name: 'pg_replace_a_total', help: 'A.' }).inc(1);
    first.counter({ name: 'pg_replace_b_total', help: 'B.' }).inc(2);
    await new Pushgateway({ url: gatewayUrl, job, registry: first }).push();

    const second = new Registry();
    second.counter({ name: 'pg_replace_b_total', help: 'B.' }).inc(20);
    await new Pushgateway({ url: gatewayUrl, job, registry: second }).pushAdd();
    let [group] = await groupsOf(gatewayUrl, job);
    expect(group?.families['pg_replace_a_total']?.metrics[0]?.value).toBe('1');
    expect(group?.families['pg_replace_b_total']?.metrics[0]?.value).toBe('20');

    await new Pushgateway({ url: gatewayUrl, job, registry: second }).push();
    [group] = await groupsOf(gatewayUrl, job);
    expect(Object.keys(group?.families ?? {})).toEqual(['pg_replace_b_total']);
  });

  it('delete removes the group', async () => {
    const job = uniqueJob('delete');
    const registry = new Registry();
    registry.gauge({ name: 'pg_delete_up', help: 'Up.' }).set(1);
    const gateway = new Pushgateway({ url: gatewayUrl, job, registry });
    await gateway.push();
    expect(await groupsOf(gatewayUrl, job)).toHaveLength(1);
    await gateway.delete();
    expect(await groupsOf(gatewayUrl, job)).toHaveLength(0);
  });

  it('encodes a job and label values with a slash, or empty, the @base64 way', async () => {
    const job = `${uniqueJob('nightly')}/eu`;
    const registry = new Registry();
    registry.gauge({ name: 'pg_paths_up', help: 'Up.' }).set(1);
    const gateway = new Pushgateway({
      url: gatewayUrl,
      job,
      groupingLabels: { path: '/var/tmp', empty: '', plain: 'a b&c' },
      registry,
    });
    expect(gateway.url).toContain('/metrics/job@base64/');
    await gateway.push();
    const [group] = await groupsOf(gatewayUrl, job);
    expect(group?.labels).toEqual({ job, path: '/var/tmp', empty: '', plain: 'a b&c' });
    // A call may name another group.
    await gateway.push({ groupingLabels: { path: '/other' } });
    expect(await groupsOf(gatewayUrl, job)).toHaveLength(2);
  });

  it('a push the Pushgateway refuses rejects with a PushError that is not retryable', async () => {
    const registry = new Registry();
    registry.counter({ name: 'pg_clash', help: 'As a counter.' }).inc();
    await new Pushgateway({ url: gatewayUrl, job: uniqueJob('clash-a'), registry }).push();
    const other = new Registry();
    other.gauge({ name: 'pg_clash', help: 'As a gauge.' }).set(1);
    const error = await rejection(
      new Pushgateway({ url: gatewayUrl, job: uniqueJob('clash-b'), registry: other }).push(),
    );
    expect(error).toBeInstanceOf(PushError);
    expect(error).toMatchObject({ code: 'PUSHGATEWAY_FAILED', status: 400, retryable: false });
    // The Pushgateway lists one error per clashing group, a line each when there are several
    // (other runs' groups on a shared Pushgateway): `s`, so that `.` spans them.
    expect((error as Error).message).toMatch(
      /^PUT Pushgateway http:\/\/127\.0\.0\.1:\d+\/metrics\/job\/clash-b-\w+ answered 400 Bad Request: .*pg_clash/s,
    );
  });
});

describe('Pushgateway requests', () => {
  it('sends the headers, basic authentication and the content type of the format', async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const server = await serveOnLoopback((req, res) => {
      seen.push(req.headers);
      req.resume().on('end', () => res.end());
    });
    closing.push(server.close);
    const registry = new Registry();
    const options = {
      url: `${server.url}/prefix/`,
      job: 'j',
      registry,
      headers: { 'X-Scope-OrgID': 'tenant-1' },
      basicAuth: { username: 'pusher', password: 's3cret' },
    };
    await new Pushgateway(options).push();
    await new Pushgateway({ ...options, format: 'protobuf' }).pushAdd();
    const { basicAuth: _, ...withoutBasic } = options;
    await new Pushgateway({ ...withoutBasic, bearerToken: 'tok-1' }).delete();
    expect(seen[0]).toMatchObject({
      'x-scope-orgid': 'tenant-1',
      authorization: `Basic ${Buffer.from('pusher:s3cret').toString('base64')}`,
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    });
    expect(seen[1]?.['content-type']).toBe(
      'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited',
    );
    expect(seen[2]).toMatchObject({
      authorization: 'Bearer tok-1',
      'user-agent': 'vigil-prometheus-pushgateway',
    });
  });

  it('a server that does not answer fails after the timeout, retryable', async () => {
    const server = await serveOnLoopback(() => {});
    closing.push(server.close);
    const clock = manualClock();
    const gateway = new Pushgateway({
      url: server.url,
      job: 'slow',
      registry: new Registry(),
      timeout: '2s',
      timers: clock,
    });
    const pushed = rejection(gateway.push());
    await new Promise((resolve) => setTimeout(resolve, 50));
    clock.advance(2_000);
    const error = await pushed;
    expect(error).toMatchObject({ code: 'PUSHGATEWAY_FAILED', retryable: true, status: undefined });
    expect((error as Error).message).toMatch(/no answer within 2000 ms/);
  });

  it('a 503 with Retry-After is retryable and carries the delay', async () => {
    const server = await serveOnLoopback((_req, res) => {
      res.writeHead(503, { 'retry-after': '7' }).end('busy');
    });
    closing.push(server.close);
    const error = await rejection(
      new Pushgateway({ url: server.url, job: 'busy', registry: new Registry() }).push(),
    );
    expect(error).toMatchObject({ status: 503, retryable: true, retryAfter: 7_000 });
  });

  it('a refused connection is a retryable PushError', async () => {
    const server = await serveOnLoopback(() => {});
    await server.close();
    const error = await rejection(
      new Pushgateway({ url: server.url, job: 'gone', registry: new Registry() }).delete(),
    );
    expect(error).toMatchObject({ code: 'PUSHGATEWAY_FAILED', retryable: true });
    expect((error as Error).message).toMatch(
      /^DELETE Pushgateway .* no answer: fetch failed: connect ECONNREFUSED/,
    );
  });
});

describe('Pushgateway options', () => {
  const registry = new Registry();
  it.each([
    [{ url: gatewayUrl, job: 'j' }, /registry should be a Registry/],
    [{ job: 'j', registry }, /url is required/],
    [{ url: 'ftp://x', job: 'j', registry }, /url should use http or https/],
    [{ url: 'not a url', job: 'j', registry }, /url should be an http\(s\) URL/],
    [{ url: 'http://u:p@127.0.0.1', job: 'j', registry }, /should not carry a user or password/],
    [{ url: gatewayUrl, job: '', registry }, /job should be a non-empty string/],
    [{ url: gatewayUrl, job: 'j', registry, groupingLabels: { job: 'x' } }, /'job' is the job/],
    [{ url: gatewayUrl, job: 'j', registry, groupingLabels: { 'a-b': 'x' } }, /should match/],
    [{ url: gatewayUrl, job: 'j', registry, groupingLabels: { a: 1 } }, /should be a string/],
    [{ url: gatewayUrl, job: 'j', registry, format: 'openmetrics' }, /format should be one of/],
    [
      { url: gatewayUrl, job: 'j', registry, basicAuth: { username: 'a:b', password: '' } },
      /basicAuth/,
    ],
    [{ url: gatewayUrl, job: 'j', registry, headers: { a: 1 } }, /headers\.a should be a string/],
    [{ url: gatewayUrl, job: 'j', registry, timeout: 0 }, /timeout/],
    [
      {
        url: gatewayUrl,
        job: 'j',
        registry,
        bearerToken: 't',
        basicAuth: { username: 'a', password: 'b' },
      },
      /basicAuth or bearerToken, not both/,
    ],
    [{ url: gatewayUrl, job: 'j', registry, jobName: 'x' }, /unknown option 'jobName'/],
  ])('refuses bad options (case %#)', (options, message) => {
    const error = caught(() => new Pushgateway(options as never));
    expect(error).toMatchObject({ code: expect.stringMatching(/^INVALID_(OPTION|DURATION)$/) });
    expect((error as Error).message).toMatch(message);
  });
});
