import { gunzipSync } from 'node:zlib';
import { parseExposition } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-request.js';
import { closeServers, serveRouter } from './support/serve-router.js';

// What Prometheus 2.42+ sends when it scrapes.
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

afterEach(closeServers);

describe('GET /metrics', () => {
  it('answers the Prometheus text format by default', async () => {
    const { server } = await serveRouter();
    const response = await rawRequest(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    const parsed = parseExposition(response.body.toString('utf8'));
    const jobs = parsed.families.find((family) => family.name === 'jobs_total');
    expect(jobs?.type).toBe('counter');
    expect(jobs?.samples[0]?.value).toBe(3);
    expect(parsed.eof).toBe(false);
  });

  it('answers the text format 0.0.4 to the Accept header Prometheus sends, as prom-client does', async () => {
    // Prometheus 2.x lists OpenMetrics first, and then stores every `_created` sample as a series
    // of its own (38 extra of 669 on a small Express app): OpenMetrics is opt-in.
    const { server } = await serveRouter();
    const response = await rawRequest(`${server.url}/metrics`, {
      headers: { accept: PROMETHEUS_ACCEPT },
    });
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.headers.vary).toBe('Accept-Encoding');
    const parsed = parseExposition(response.body.toString('utf8'));
    expect(parsed.eof).toBe(false);
    expect(response.body.toString('utf8')).not.toContain('_created');
  });

  it("answers OpenMetrics to Prometheus's Accept header with openMetrics: 'negotiate'", async () => {
    const { server } = await serveRouter({ openMetrics: 'negotiate' });
    const response = await rawRequest(`${server.url}/metrics`, {
      headers: { accept: PROMETHEUS_ACCEPT },
    });
    expect(response.headers['content-type']).toBe(
      'application/openmetrics-text; version=1.0.0; charset=utf-8',
    );
    expect(response.headers.vary).toBe('Accept, Accept-Encoding');
    const parsed = parseExposition(response.body.toString('utf8'), 'openmetrics');
    expect(parsed.eof).toBe(true);
    expect(parsed.families.find((family) => family.name === 'jobs')?.samples[0]).toMatchObject({
      name: 'jobs_total',
      value: 3,
    });
  });

  it('lets ?format=prometheus override an OpenMetrics Accept header, and the reverse', async () => {
    const { server } = await serveRouter();
    const text = await rawRequest(`${server.url}/metrics?format=prometheus`, {
      headers: { accept: PROMETHEUS_ACCEPT },
    });
    expect(text.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(parseExposition(text.body.toString('utf8')).eof).toBe(false);
    const openMetrics = await rawRequest(`${server.url}/metrics?format=openmetrics`);
    expect(openMetrics.headers['content-type']).toMatch(/^application\/openmetrics-text/);
    expect(openMetrics.body.toString('utf8')).toMatch(/# EOF\n$/);
  });

  it('answers 400 HTTP_BAD_REQUEST to an unknown format', async () => {
    const { server } = await serveRouter();
    const response = await fetch(`${server.url}/metrics?format=json`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      code: 'HTTP_BAD_REQUEST',
      message: `format should be 'prometheus' or 'openmetrics', got "json"`,
    });
  });

  it('gzips the exposition when Accept-Encoding allows it', async () => {
    const { server } = await serveRouter();
    const plain = await rawRequest(`${server.url}/metrics`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await rawRequest(`${server.url}/metrics`, {
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body[0]).toBe(0x1f);
    expect(zipped.body[1]).toBe(0x8b);
    expect(gunzipSync(zipped.body).toString('utf8')).toBe(plain.body.toString('utf8'));
  });

  it('does not gzip when gzip is refused with q=0', async () => {
    const { server } = await serveRouter();
    const response = await rawRequest(`${server.url}/metrics`, {
      headers: { 'accept-encoding': 'gzip;q=0, identity' },
    });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString('utf8')).toContain('jobs_total 3');
  });

  it('answers HEAD with the headers only', async () => {
    const { server } = await serveRouter();
    const response = await rawRequest(`${server.url}/metrics`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(0);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
  });
});
