import { createServer } from 'node:http';
import { collectDefaultMetrics, Registry } from '@vigil/core';
import { keyFigures, renderTable } from './live-table.js';
import { SimulatedJobs } from './simulated-jobs.js';
import { SimulatedPartner } from './simulated-partner.js';
import { SimulatedService } from './simulated-service.js';

const serve = process.argv.includes('--serve');
const DURATION_MS = 10_000;
const HOST = '127.0.0.1';
const PORT = Number(process.env.PORT ?? 9464);

const registry = new Registry({ defaultLabels: { service: 'quickstart' } });
const processMetrics = collectDefaultMetrics(registry);
const service = new SimulatedService(registry);
const partner = new SimulatedPartner(registry);
// Jobs on a JobRunner (memory backend); the partner sync fails while the partner is down.
const jobs = new SimulatedJobs(registry, () => partner.available());

const server = createServer(async (request, response) => {
  if (request.url === '/metrics') {
    const openMetrics = request.headers.accept?.includes('application/openmetrics-text') ?? false;
    const format = openMetrics ? 'openmetrics' : 'prometheus';
    response.setHeader('content-type', Registry.contentTypeOf(format));
    response.end(await registry.metrics({ format }));
    return;
  }
  response.statusCode = 404;
  response.end('try /metrics\n');
});

server.on('error', (error) => {
  console.error(`could not serve /metrics on ${HOST}:${PORT}: ${error.message}`);
});
server.listen(PORT, HOST);

service.start();
partner.start();
jobs.start();
console.log(`Vigil quickstart: metrics on http://${HOST}:${PORT}/metrics`);
console.log(
  serve
    ? 'serving until Ctrl-C\n'
    : `simulating a service and its background jobs for ${DURATION_MS / 1000} s\n`,
);

const started = Date.now();
let previousRequests = 0;
let linesDrawn = 0;
const frame = setInterval(() => {
  const figures = keyFigures(registry.snapshot());
  const rate = figures.requests - previousRequests;
  previousRequests = figures.requests;
  const table = renderTable(figures, rate, (Date.now() - started) / 1000, jobs.activity);
  // Redraw in place on a terminal, the jobs' log lines above the table; append frames when the
  // output is a pipe or a file.
  if (process.stdout.isTTY && linesDrawn > 0) process.stdout.write(`\x1b[${linesDrawn}A\x1b[J`);
  const log = jobs.takeLog();
  if (log.length > 0) process.stdout.write(`${log.join('\n')}\n`);
  process.stdout.write(`${table}\n`);
  linesDrawn = table.split('\n').length;
}, 1000);

async function stop(): Promise<void> {
  clearInterval(frame);
  service.stop();
  await jobs.stop();
  await partner.stop();
  await processMetrics.close();
  server.close();
  const ran = Object.values(jobs.runner.stats()).reduce((sum, type) => sum + type.completed, 0);
  console.log('\ndone: the demo recorded', previousRequests, 'requests and completed', ran, 'jobs');
}

if (serve) process.once('SIGINT', () => void stop());
else setTimeout(() => void stop(), DURATION_MS + 100);
