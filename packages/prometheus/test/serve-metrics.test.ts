import { execFileSync } from 'node:child_process';
import { Registry } from '@vigil/core';
import { parseExposition, rejection } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsServer, serveMetrics } from '../src/index.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: Parameters<typeof serveMetrics>[0]): Promise<MetricsServer> {
  const server = await serveMetrics(options);
  servers.push(server);
  return server;
}

function workerRegistry(): Registry {
  const registry = new Registry({ defaultLabels: { process: 'worker' } });
  registry.counter({ name: 'tasks_total', help: 'Tasks done.' }).inc(5);
  return registry;
}

describe('serveMetrics', () => {
  it('serves the registry on 127.0.0.1 on a free port, in a format promtool accepts', async () => {
    const server = await serve({ registry: workerRegistry() });
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const response = await fetch(server.url);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await response.text();
    expect(text).toContain('tasks_total{process="worker"} 5');
    expect(() => execFileSync('promtool', ['check', 'metrics'], { input: text })).not.toThrow();
  });

  it('answers OpenMetrics for ?format=openmetrics, and gzip when asked', async () => {
    const server = await serve({ registry: workerRegistry() });
    const open = await fetch(`${server.url}?format=openmetrics`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(open.headers.get('content-type')).toMatch(/^application\/openmetrics-text/);
    expect(open.headers.get('content-encoding')).toBe('gzip');
    const parsed = parseExposition(await open.text(), 'openmetrics');
    expect(parsed.families.map((family) => family.name)).toEqual(['tasks']);
  });

  it('answers 404 for any other path', async () => {
    const server = await serve({ registry: workerRegistry() });
    const response = await fetch(server.url.replace('/metrics', '/health'));
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/serves GET \/metrics/);
  });

  it('with a token, answers 401 without it and the metrics with it', async () => {
    const token = 'a-scrape-token-of-some-length';
    const server = await serve({ registry: workerRegistry(), token, port: 0 });
    expect((await fetch(server.url)).status).toBe(401);
    const response = await fetch(server.url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
  });

  it('serves anything that renders like a registry, such as a cluster aggregator', async () => {
    const source = {
      metrics: async ({ format }: { format?: string } = {}) =>
        `# HELP merged_total Merged.\n# TYPE merged_total counter\nmerged_total ${format === 'openmetrics' ? 1 : 2}\n`,
    };
    const server = await serve({ registry: source });
    expect(await (await fetch(server.url)).text()).toContain('merged_total 2');
  });

  it('rejects with the listen error when the port is taken', async () => {
    const first = await serve({ registry: workerRegistry() });
    const error = await rejection(serveMetrics({ registry: workerRegistry(), port: first.port }));
    expect(error).toMatchObject({ code: 'EADDRINUSE' });
  });

  it('close() stops listening', async () => {
    const server = await serveMetrics({ registry: workerRegistry() });
    await server.close();
    await expect(fetch(server.url)).rejects.toThrow(/fetch failed/);
  });

  it.each([
    [{}, /registry should be a Registry/],
    [{ registry: {} }, /registry should be a Registry/],
    [{ registry: new Registry(), port: 70_000 }, /port should be/],
    [{ registry: new Registry(), host: 7 }, /host should be a non-empty string/],
    [{ registry: new Registry(), token: 'short' }, /token/],
    [{ registry: new Registry(), path: '/m' }, /unknown option 'path'/],
  ])('refuses bad options (case %#)', async (options, message) => {
    const error = await rejection(serveMetrics(options as never));
    expect((error as Error).message).toMatch(message);
  });
});
