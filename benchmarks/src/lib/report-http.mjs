// The report's section for the HTTP middleware benchmark (http-load.mjs): server CPU time per
// request.
import { fmtRatio } from './format.mjs';

const NAMES = { express: 'Express', fastify: 'Fastify' };
const PEERS = { express: 'express-prom-bundle 8', fastify: 'fastify-metrics 13' };
const fmtUs = (v) => `${v.toFixed(1)} µs`;
const fmtRps = (v) => `${Math.round(v).toLocaleString('en-US')} req/s`;

/** The HTTP targets of their issue, on the medians. */
export function httpTargets(m) {
  return ['express', 'fastify'].map((framework) => {
    const share = m.httpLoad[framework].share.vigil;
    return {
      name: `${NAMES[framework]} with Vigil: server CPU time per request, bare ÷ Vigil`,
      value: fmtRatio(share),
      target: '≥ 0.95×',
      pass: share >= 0.95,
    };
  });
}

export function renderHttp(m, range, raw) {
  const h = m.httpLoad;
  const out = [];
  out.push('## HTTP middleware: server CPU time per request of a one-route app\n');
  out.push(
    `\`GET /hello/world\` answering a small JSON body. Each server runs in its own process${h.pinned ? ' pinned to CPU 0' : ' (not pinned: taskset failed)'} and reports its \`process.cpuUsage()\` (user + system, all its threads, GC included) over IPC, read before and after each batch; a batch is a fixed number of requests (Express ${h.express.requests.toLocaleString('en-US')}, Fastify ${h.fastify.requests.toLocaleString('en-US')}) sent by autocannon 8 from a separate process${h.pinned ? ' pinned to CPU 1' : ''}, 50 connections. The three servers of a framework stay up; after a warm-up batch each, ${h.express.rounds} rounds measure each variant once, the order reversed every other round (bare, Vigil, peer, peer, Vigil, bare, …). CPU per request does not depend on how fast the load generator is, which made requests per second move by as much as the effect on this shared machine. Share = bare CPU per request ÷ the variant's, per round (1 = free, 0.5 = doubles the cost); figures are medians over the rounds, then over the runs. Vigil: \`app.use(vigil({ registry }))\` / \`app.register(vigil, { registry })\` with default options (request metrics and the monitoring routes). Peers with their documented set-up: express-prom-bundle with method, path and status labels; fastify-metrics with its defaults (route histogram and summary). Requests per second of the same batches are given for information.\n`,
  );
  out.push(
    '| framework | variant | CPU per request (median) | min – max over runs | bare ÷ variant (median) | bare ÷ variant, each run | req/s (info) |\n|---|---|---:|---:|---:|---|---:|',
  );
  for (const framework of ['express', 'fastify']) {
    const f = h[framework];
    const r = range.httpLoad[framework];
    for (const [variant, label] of [
      ['bare', 'bare'],
      ['vigil', 'Vigil'],
      ['peer', PEERS[framework]],
    ]) {
      const share = variant === 'bare' ? 1 : f.share[variant];
      const perRun =
        variant === 'bare'
          ? ''
          : raw.map((run) => fmtRatio(run.httpLoad[framework].share[variant])).join(', ');
      out.push(
        `| ${framework} | ${label} | ${fmtUs(f.cpuUs[variant])} | ${fmtUs(r.cpuUs[variant][0])} – ${fmtUs(r.cpuUs[variant][1])} | ${fmtRatio(share)} | ${perRun} | ${fmtRps(f.rps[variant])} |`,
      );
    }
  }
  out.push('');
  return out.join('\n');
}
