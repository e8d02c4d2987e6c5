import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One series of an instant query's answer. */
export interface QueriedSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

/** A throw-away Prometheus on 127.0.0.1 that accepts remote write. */
export interface RemoteWritePrometheus {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `<url>/api/v1/write` */
  readonly writeUrl: string;
  /** Runs a PromQL instant query at `time` (ms since the epoch). */
  query(promql: string, time: number): Promise<QueriedSample[]>;
  /** Stops it and deletes its data directory. */
  close(): Promise<void>;
}

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';

/**
 * Starts Debian's Prometheus (2.42 on the test machines) with `--web.enable-remote-write-receiver`
 * on a free loopback port, with an empty scrape configuration and a data directory under the OS
 * temp directory, and waits until it is ready. It is killed by `close()`. Fails (never skips)
 * when Prometheus is missing: install it with `bash scripts/install-test-deps.sh`.
 */
export async function startRemoteWritePrometheus(): Promise<RemoteWritePrometheus> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-remote-write-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-4_000);
  });
  const close = async () => {
    await stop(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await untilReady(url, child, () => log);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, writeUrl: `${url}/api/v1/write`, query: (q, time) => query(url, q, time), close };
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

// Start-up is real time (the server's, not the code under test's): polled for up to 30 s.
async function untilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  child.once('error', (error) => {
    exited = `could not start ${PROMETHEUS}: ${error.message}`;
  });
  for (let i = 0; i < 300; i++) {
    if (exited !== undefined) throw new Error(`Prometheus ${exited}\n${log()}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Prometheus did not become ready on ${url} within 30 s\n${log()}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}
