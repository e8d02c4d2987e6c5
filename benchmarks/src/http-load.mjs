// CPU time per request of a one-route app, bare vs with Vigil vs with the peer middleware
// (express-prom-bundle for Express, fastify-metrics for Fastify). Requests per second on a shared
// 2-core machine moved by as much as the effect being measured; the CPU time the server process
// spends per request does not depend on how fast the load arrives, nor on other processes.
//
// Each server runs in its own process pinned to CPU 0 and reports its process.cpuUsage() (user +
// system, all threads) over IPC. The load is a fixed number of requests sent by autocannon in a
// separate process (src/http-client.mjs) pinned to CPU 1. The three servers of a framework stay
// up for the whole run; after a warm-up, each round measures every variant once, the order
// reversed every other round (bare, vigil, peer, peer, vigil, bare, …). Per round, the share of a
// variant = bare CPU per request ÷ its CPU per request (1 = costs nothing, 0.5 = doubles it).
// Prints { pinned, express: { cpuUs, rps, share, rounds, perRound }, fastify: { … } }.
//   node src/http-load.mjs [--quick]
import { execFileSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/data.mjs';
import { printJson } from './lib/output.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 2 : 5;
const CONNECTIONS = 50;
const VARIANTS = ['bare', 'vigil', 'peer'];
// About 3 s of load per measurement on the benchmark machine (Fastify serves ~4× Express).
const REQUESTS = quick ? { express: 2_000, fastify: 5_000 } : { express: 20_000, fastify: 60_000 };
const WARM_UP = quick ? { express: 1_000, fastify: 2_000 } : { express: 10_000, fastify: 30_000 };

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
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const pinned = pin(child.pid, 0);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve({ child, port: Number(out.trim()), pinned });
    });
    child.on('exit', (code) => reject(new Error(`${framework}/${variant} exited with ${code}`)));
  });
}

/** The server's CPU time so far, in µs (user + system). */
function cpuOf(child) {
  return new Promise((resolve) => {
    child.once('message', ({ user, system }) => resolve(user + system));
    child.send('cpu');
  });
}

/** Sends `requests` requests from a separate process pinned to CPU 1; resolves its figures. */
function sendLoad(port, requests) {
  const client = spawn(
    process.execPath,
    [join(here, 'http-client.mjs'), String(port), String(requests), String(CONNECTIONS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  pin(client.pid, 1);
  return new Promise((resolve, reject) => {
    let out = '';
    client.stdout.on('data', (chunk) => {
      out += chunk;
    });
    client.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`http-client exited with ${code}`));
      const lines = out.trim().split('\n');
      resolve(JSON.parse(lines[lines.length - 1]));
    });
  });
}

/** CPU µs per request and requests/s of one batch of `requests` requests. */
async function measure(server, requests) {
  const before = await cpuOf(server.child);
  const load = await sendLoad(server.port, requests);
  const after = await cpuOf(server.child);
  if (load.non2xx > 0 || load.errors > 0 || load.timeouts > 0 || load.responses < requests) {
    throw new Error(`bad load: ${JSON.stringify(load)}`);
  }
  return {
    cpuUs: (after - before) / load.responses,
    rps: load.responses / (load.elapsedMs / 1000),
  };
}

async function framework(name) {
  const servers = {};
  try {
    for (const variant of VARIANTS) servers[variant] = await startServer(name, variant);
    for (const variant of VARIANTS) await measure(servers[variant], WARM_UP[name]); // JIT, caches
    const rounds = [];
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      const round = {};
      for (const variant of order) round[variant] = await measure(servers[variant], REQUESTS[name]);
      rounds.push(round);
    }
    const of = (variant, field) => median(rounds.map((round) => round[variant][field]));
    const shareOf = (variant) =>
      median(rounds.map((round) => round.bare.cpuUs / round[variant].cpuUs));
    return {
      pinned: VARIANTS.every((variant) => servers[variant].pinned),
      requests: REQUESTS[name],
      cpuUs: Object.fromEntries(VARIANTS.map((v) => [v, of(v, 'cpuUs')])),
      rps: Object.fromEntries(VARIANTS.map((v) => [v, of(v, 'rps')])),
      share: { vigil: shareOf('vigil'), peer: shareOf('peer') },
      rounds: ROUNDS,
      perRound: rounds.map((round) => Object.fromEntries(VARIANTS.map((v) => [v, round[v].cpuUs]))),
    };
  } finally {
    for (const server of Object.values(servers)) {
      server.child.removeAllListeners('exit');
      server.child.kill();
    }
  }
}

const results = {};
for (const name of ['express', 'fastify']) results[name] = await framework(name);
results.pinned = results.express.pinned && results.fastify.pinned;
printJson(results);
