// Requests per second of a one-route app, bare vs with Vigil vs with the peer middleware
// (express-prom-bundle for Express, fastify-metrics for Fastify), with autocannon on loopback.
// Each server runs in its own process pinned to CPU 0; autocannon runs here, pinned to CPU 1.
// Variants alternate within a framework (bare, vigil, peer, bare, …); run.mjs takes the median
// over rounds. Prints { express: { bare, vigil, peer }, fastify: { … } } in requests/s.
//   node src/http-load.mjs [--quick]
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const DURATION_S = quick ? 2 : 10;
const CONNECTIONS = 50;

function pin(pid, cpu) {
  try {
    execFileSync('taskset', ['-cp', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function startServer(framework, variant) {
  const child = spawn(process.execPath, [join(here, 'http-server.mjs'), framework, variant], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  pin(child.pid, 0);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve({ child, port: Number(out.trim()) });
    });
    child.on('exit', (code) => reject(new Error(`${framework}/${variant} exited with ${code}`)));
  });
}

async function load(port, duration) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/hello/world`,
    connections: CONNECTIONS,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${result.non2xx} non-2xx responses, ${result.errors} errors`);
  }
  return result.requests.average;
}

const pinned = pin(process.pid, 1);
const results = { pinned };
for (const framework of ['express', 'fastify']) {
  results[framework] = {};
  for (const variant of ['bare', 'vigil', 'peer']) {
    const { child, port } = await startServer(framework, variant);
    try {
      await load(port, quick ? 1 : 3); // warm-up (JIT), not counted
      results[framework][variant] = await load(port, DURATION_S);
    } finally {
      child.removeAllListeners('exit');
      child.kill();
    }
  }
}
printJson(results);
