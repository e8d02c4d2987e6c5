// Not part of the run: where the middleware's CPU time per request goes. Profiles the bare and
// the Vigil server of `http-load.mjs` (V8 CPU profiler, one process each, pinned to CPU 0) under
// the same fixed load from `http-client.mjs` (CPU 1), then prints, per function, the self time
// per request that Vigil's server spends beyond the bare one (negative: less):
//   node src/profile-http.mjs [express|fastify] [requests=40000]
// The profiles are written to benchmarks/profiles/http-<framework>-<variant>/. Profiling adds
// its own cost: read the differences, not the totals.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [framework = 'express', requests = '40000'] = process.argv.slice(2);

function pin(pid, cpu) {
  try {
    execFileSync('taskset', ['-cp', String(cpu), String(pid)], { stdio: 'ignore' });
  } catch {
    // Unpinned: the figures are noisier, not wrong.
  }
}

function output(child) {
  return new Promise((resolve) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', () => resolve(out));
  });
}

/** Runs one variant's server under the profiler with `requests` requests; returns the profile. */
async function profile(variant) {
  const dir = join(here, '..', 'profiles', `http-${framework}-${variant}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = spawn(
    process.execPath,
    [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}`,
      '--cpu-prof-interval=200',
      join(here, 'http-server.mjs'),
      framework,
      variant,
    ],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  pin(server.pid, 0);
  const port = await new Promise((resolve) => {
    server.stdout.once('data', (chunk) => resolve(Number(String(chunk).trim())));
  });
  const client = spawn(
    process.execPath,
    [join(here, 'http-client.mjs'), String(port), requests, '50'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  pin(client.pid, 1);
  await output(client);
  // A normal exit writes the profile.
  const exited = new Promise((resolve) => server.on('exit', resolve));
  server.send('exit');
  await exited;
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  return JSON.parse(readFileSync(join(dir, file), 'utf8'));
}

/** Self time per function (µs), idle excluded, keyed by name and location. */
function selfTimes(cpuProfile) {
  const byNode = new Map();
  cpuProfile.samples.forEach((id, i) => {
    byNode.set(id, (byNode.get(id) ?? 0) + (cpuProfile.timeDeltas[i] ?? 0));
  });
  const self = new Map();
  for (const node of cpuProfile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') continue;
    const where = url.replace(/.*node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?/, '');
    const key = `${functionName || '(anonymous)'} ${where.replace(/.*packages\//, '')}:${lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (byNode.get(node.id) ?? 0));
  }
  return self;
}

const bare = selfTimes(await profile('bare'));
const vigil = selfTimes(await profile('vigil'));
const n = Number(requests);
const rows = [...new Set([...bare.keys(), ...vigil.keys()])].map((key) => [
  key,
  ((vigil.get(key) ?? 0) - (bare.get(key) ?? 0)) / n,
]);
const total = rows.reduce((sum, [, delta]) => sum + delta, 0);
console.log(
  `${framework}: Vigil's server spent ${total.toFixed(2)} µs more per request (profiled)`,
);
rows.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
for (const [key, delta] of rows.slice(0, 25)) {
  console.log(`${delta.toFixed(2).padStart(7)} µs  ${key}`);
}
