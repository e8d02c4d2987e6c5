// The report's section for the HTTP middleware load test (http-load.mjs).
import { fmtRatio } from './format.mjs';

const fmtRps = (v) => `${Math.round(v).toLocaleString('en-US')} req/s`;

/** The HTTP targets of their issue, on the medians. */
export function httpTargets(m) {
  return ['express', 'fastify'].map((framework) => {
    const f = m.httpLoad[framework];
    const kept = f.vigil / f.bare;
    return {
      name: `${framework === 'express' ? 'Express' : 'Fastify'} with Vigil, share of the bare app's requests/s`,
      value: fmtRatio(kept),
      target: '≥ 0.95×',
      pass: kept >= 0.95,
    };
  });
}

export function renderHttp(m, range, raw) {
  const out = [];
  out.push('## HTTP middleware: requests per second of a one-route app\n');
  out.push(
    `autocannon 8 on loopback, 50 connections, 10 s per run after a 3 s warm-up, \`GET /hello/world\` answering a small JSON body; each server in its own process${m.httpLoad.pinned ? ' pinned to CPU 0 with autocannon pinned to CPU 1 (`taskset`)' : ' (not pinned: taskset failed)'}. In each round the three variants of a framework run one after the other (bare, Vigil, peer); the figure is the median over rounds. Vigil: \`app.use(vigil({ registry }))\` / \`app.register(vigil, { registry })\` with default options (request metrics and the monitoring routes). Peers with their documented set-up: express-prom-bundle with method, path and status labels; fastify-metrics with its defaults (route histogram and summary).\n`,
  );
  out.push(
    '| framework | variant | req/s (median) | min – max over rounds | ÷ bare (median) | ÷ bare, each round |\n|---|---|---:|---:|---:|---|',
  );
  for (const [framework, peer] of [
    ['express', 'express-prom-bundle 8'],
    ['fastify', 'fastify-metrics 13'],
  ]) {
    const f = m.httpLoad[framework];
    const r = range.httpLoad[framework];
    for (const [variant, label] of [
      ['bare', 'bare'],
      ['vigil', 'Vigil'],
      ['peer', peer],
    ]) {
      const perRound = raw
        .map((round) =>
          fmtRatio(round.httpLoad[framework][variant] / round.httpLoad[framework].bare),
        )
        .join(', ');
      out.push(
        `| ${framework} | ${label} | ${fmtRps(f[variant])} | ${fmtRps(r[variant][0])} – ${fmtRps(r[variant][1])} | ${fmtRatio(f[variant] / f.bare)} | ${perRound} |`,
      );
    }
  }
  out.push(
    '\nThe last column shows how wide the spread was: the ratio of each round, whose variants ran back to back on the same machine state.\n',
  );
  return out.join('\n');
}
