import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

function version(root, name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

function git(cwd, ...args) {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

/** What the results depend on: date, Node, CPU, library versions, the commit measured. */
export function machine(root) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length;
  const dirty = git(root, 'status', '--porcelain', '--', '../packages') !== '';
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    cpu: model,
    cores,
    platform: `${process.platform} ${process.arch}`,
    commit: `${git(root, 'rev-parse', '--short', 'HEAD')}${dirty ? ' (packages with uncommitted changes)' : ''}`,
    versions: {
      '@vigil/core': version(root, '@vigil/core'),
      '@vigil/timers': version(root, '@vigil/timers'),
      '@vigil/resilience': version(root, '@vigil/resilience'),
      '@vigil/jobs': version(root, '@vigil/jobs'),
      'prom-client': version(root, 'prom-client'),
      '@opentelemetry/sdk-metrics': version(root, '@opentelemetry/sdk-metrics'),
      '@opentelemetry/api': version(root, '@opentelemetry/api'),
      opossum: version(root, 'opossum'),
      cockatiel: version(root, 'cockatiel'),
      'p-limit': version(root, 'p-limit'),
      'p-queue': version(root, 'p-queue'),
      'better-sqlite3': version(root, 'better-sqlite3'),
      ioredis: version(join(root, '..', 'packages', 'storage-redis'), 'ioredis'),
      pg: version(root, 'pg'),
      express: version(root, 'express'),
      'express-prom-bundle': version(root, 'express-prom-bundle'),
      fastify: version(root, 'fastify'),
      'fastify-metrics': version(root, 'fastify-metrics'),
      autocannon: version(root, 'autocannon'),
      tinybench: version(root, 'tinybench'),
    },
  };
}
