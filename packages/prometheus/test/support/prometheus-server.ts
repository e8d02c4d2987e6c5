import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@vigil/test-support';

/** One series of an instant query's answer. */
export interface QueriedSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** A throw-away Prometheus on 127.0.0.1. */
export interface PrometheusServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Runs a PromQL instant query at `time` (ms since the epoch; default now). */
  query(promql: string, time?: number): Promise<QueriedSample[]>;
  /** Stops it and deletes its data directory. */
  close(): Promise<void>;
}

/** A throw-away Prometheus on 127.0.0.1 that accepts remote write. */
export interface RemoteWritePrometheus extends PrometheusServer {
  /** `<url>/api/v1/write` */
  readonly writeUrl: string;
}

const SCRIPT = join(import.meta.dirname, '..', '..', '..', '..', 'scripts', 'prometheus.sh');

/**
 * Starts Debian's Prometheus (2.42 on the test machines) through `scripts/prometheus.sh` on a
 * free loopback port (a fixed one may be taken, even as another connection's ephemeral port),
 * with the scrape configuration `config` (YAML text), `flags` added, and a data directory under
 * the OS temp directory. `close()` stops it. Fails (never skips) when Prometheus is missing:
 * install it with `bash scripts/install-test-deps.sh`.
 */
export async function startPrometheus(config: string, flags = ''): Promise<PrometheusServer> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-prometheus-'));
  const configFile = join(dir, 'prometheus.yml');
  await writeFile(configFile, config);
  const port = String(await freePort());
  const server = join(dir, 'server');
  // The script waits up to 30 s for readiness: CI runs several packages' tests at once.
  const script = (...args: string[]) =>
    execFileSync('bash', [SCRIPT, ...args], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PROMETHEUS_EXTRA_FLAGS: flags },
    }).trim();
  const close = async () => {
    script('stop', port, server);
    await rm(dir, { recursive: true, force: true });
  };
  let url: string;
  try {
    url = script('start', configFile, port, server);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, query: (q, time = Date.now()) => query(url, q, time), close };
}

/** A Prometheus with `--web.enable-remote-write-receiver` and nothing to scrape. */
export async function startRemoteWritePrometheus(): Promise<RemoteWritePrometheus> {
  const prometheus = await startPrometheus(
    'global:\n  scrape_interval: 1h\nscrape_configs: []\n',
    '--web.enable-remote-write-receiver',
  );
  return { ...prometheus, writeUrl: `${prometheus.url}/api/v1/write` };
}

async function query(url: string, promql: string, time: number): Promise<QueriedSample[]> {
  const params = new URLSearchParams({ query: promql, time: String(time / 1000) });
  const response = await fetch(`${url}/api/v1/query?${params}`);
  const answer = (await response.json()) as {
    status: string;
    error?: string;
    data?: {
      resultType: string;
      result: { metric: Record<string, string>; value: [number, string] }[];
    };
  };
  if (answer.status !== 'success' || answer.data?.resultType !== 'vector') {
    throw new Error(`query ${promql} failed: ${answer.error ?? JSON.stringify(answer)}`);
  }
  return answer.data.result.map(({ metric, value }) => ({ metric, value: Number(value[1]) }));
}
