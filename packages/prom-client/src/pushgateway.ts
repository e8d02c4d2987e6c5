import http from 'node:http';
import https from 'node:https';
import { gzipSync } from 'node:zlib';
import { globalRegistry, type Registry } from './registry.js';
import type { RegistryContentType } from './types.js';

/** What `push`, `pushAdd` and `delete` take. */
export interface PushgatewayParameters {
  jobName: string;
  groupings?: { [key: string]: string };
}

type Method = 'POST' | 'PUT' | 'DELETE';

/**
 * prom-client's `Pushgateway`: `new Pushgateway(url, options?, registry?)`, where `options` are
 * `http.request` options (headers, agent, timeout, auth) plus `requireJobName` (default true).
 * Each call resolves `{ resp, body }` (the `http.IncomingMessage` and its text) on a status below
 * 400 and rejects with prom-client's `push failed with status …` error otherwise.
 */
export class Pushgateway<T extends RegistryContentType> {
  readonly registry: Registry<T>;
  readonly gatewayUrl: string;
  readonly requireJobName: boolean;
  readonly requestOptions: http.RequestOptions;

  // biome-ignore lint/suspicious/noExplicitAny: prom-client's own type
  constructor(url: string, options?: any, registry?: Registry<T>) {
    this.registry = registry ?? (globalRegistry() as unknown as Registry<T>);
    this.gatewayUrl = url;
    const { requireJobName = true, ...requestOptions } = (options ?? {}) as {
      requireJobName?: boolean;
    } & http.RequestOptions;
    this.requireJobName = requireJobName;
    this.requestOptions = requestOptions;
  }

  pushAdd(params: PushgatewayParameters): Promise<{ resp?: unknown; body?: unknown }> {
    return this.#use('POST', params);
  }

  push(params: PushgatewayParameters): Promise<{ resp?: unknown; body?: unknown }> {
    return this.#use('PUT', params);
  }

  delete(params: PushgatewayParameters): Promise<{ resp?: unknown; body?: unknown }> {
    return this.#use('DELETE', params);
  }

  // Throws synchronously for a missing job name, as prom-client does.
  #use(method: Method, params: Partial<PushgatewayParameters> = {}) {
    if (this.requireJobName && !params.jobName) throw new Error('Missing jobName parameter');
    return this.#request(method, params.jobName, params.groupings);
  }

  #request(method: Method, job?: string, groupings?: Record<string, string>) {
    const base = new URL(this.gatewayUrl);
    const basePath = base.pathname && base.pathname !== '/' ? base.pathname : '';
    const jobPath = job ? `/job/${encodeURIComponent(job)}${groupingPath(groupings)}` : '';
    const target = new URL(`${basePath}/metrics${jobPath}`, base);
    const options: http.RequestOptions = {
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port,
      path: `${target.pathname}${target.search}`,
      ...(target.username
        ? { auth: decodeURIComponent(`${target.username}:${target.password}`) }
        : {}),
      ...this.requestOptions,
      method,
    };
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<{ resp: http.IncomingMessage; body: string }>((resolve, reject) => {
      if (method === 'DELETE' && options.headers) {
        delete (options.headers as Record<string, unknown>)['Content-Encoding'];
      }
      const req = client.request(options, (resp) => {
        let body = '';
        resp.setEncoding('utf8');
        resp.on('data', (chunk: string) => {
          body += chunk;
        });
        resp.on('end', () => {
          if ((resp.statusCode ?? 0) >= 400) {
            reject(new Error(`push failed with status ${resp.statusCode}, ${body}`));
          } else {
            resolve({ resp, body });
          }
        });
      });
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error('Pushgateway request timed out')));
      if (method === 'DELETE') {
        req.end();
        return;
      }
      this.registry
        .metrics()
        .then((metrics) => {
          const headers = options.headers as Record<string, unknown> | undefined;
          req.write(headers?.['Content-Encoding'] === 'gzip' ? gzipSync(metrics) : metrics);
          req.end();
        })
        .catch(reject);
    });
  }
}

function groupingPath(groupings?: Record<string, string>): string {
  if (!groupings) return '';
  return Object.keys(groupings)
    .map((key) => `/${encodeURIComponent(key)}/${encodeURIComponent(groupings[key] as string)}`)
    .join('');
}

// prom-client's types name the parameters `Pushgateway.Parameters`.
export declare namespace Pushgateway {
  type Parameters = PushgatewayParameters;
}
