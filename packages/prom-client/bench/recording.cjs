// Races prom-client 15.1.3 and this package's build (dist/index.cjs) on each recording path, one
// case per fresh Node process so that one case's JIT state cannot slow another's.
// Usage: pnpm turbo run build --filter=@vigil/prom-client... && node bench/recording.cjs
const path = require('node:path');
const impls = {
  prom: require('prom-client'),
  vigil: require(path.join(__dirname, '..', 'dist', 'index.cjs')),
};
const N = 2_000_000;
const cases = {
  'counter.inc()': (p, r) => {
    const c = new p.Counter({ name: 'c', help: 'h', registers: [r] });
    return () => c.inc();
  },
  'counter.inc(labels)': (p, r) => {
    const c = new p.Counter({
      name: 'c',
      help: 'h',
      labelNames: ['method', 'status'],
      registers: [r],
    });
    const l = [
      { method: 'GET', status: '200' },
      { method: 'POST', status: '500' },
    ];
    let i = 0;
    return () => c.inc(l[i++ & 1]);
  },
  'counter.inc(fresh labels)': (p, r) => {
    const c = new p.Counter({
      name: 'c',
      help: 'h',
      labelNames: ['method', 'status'],
      registers: [r],
    });
    let i = 0;
    return () => c.inc({ method: i++ & 1 ? 'GET' : 'POST', status: '200' });
  },
  'counter child.inc()': (p, r) => {
    const c = new p.Counter({ name: 'c', help: 'h', labelNames: ['method'], registers: [r] });
    const ch = c.labels('GET');
    return () => ch.inc();
  },
  'counter.labels(v).inc()': (p, r) => {
    const c = new p.Counter({ name: 'c', help: 'h', labelNames: ['method'], registers: [r] });
    return () => c.labels('GET').inc();
  },
  'gauge.set(labels, v)': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', labelNames: ['q'], registers: [r] });
    const l = { q: 'a' };
    let i = 0;
    return () => g.set(l, i++);
  },
  'gauge.inc()': (p, r) => {
    const g = new p.Gauge({ name: 'g', help: 'h', registers: [r] });
    return () => g.inc();
  },
  'histogram.observe(v)': (p, r) => {
    const h = new p.Histogram({ name: 'h', help: 'h', registers: [r] });
    let i = 0;
    return () => h.observe((i++ % 1000) / 100);
  },
  'histogram.observe(labels, v)': (p, r) => {
    const h = new p.Histogram({ name: 'h', help: 'h', labelNames: ['route'], registers: [r] });
    const l = { route: '/a' };
    let i = 0;
    return () => h.observe(l, (i++ % 1000) / 100);
  },
  'histogram child.observe(v)': (p, r) => {
    const h = new p.Histogram({ name: 'h', help: 'h', labelNames: ['route'], registers: [r] });
    const ch = h.labels('/a');
    let i = 0;
    return () => ch.observe((i++ % 1000) / 100);
  },
  'summary.observe(labels, v)': (p, r) => {
    const s = new p.Summary({ name: 's', help: 'h', labelNames: ['route'], registers: [r] });
    const l = { route: '/a' };
    let i = 0;
    return () => s.observe(l, (i++ % 1000) / 100);
  },
  'summary child.observe(v)': (p, r) => {
    const s = new p.Summary({ name: 's', help: 'h', labelNames: ['route'], registers: [r] });
    const ch = s.labels('/a');
    let i = 0;
    return () => ch.observe((i++ % 1000) / 100);
  },
};
const [name, impl] = process.argv.slice(2);
if (!name) {
  const { execFileSync } = require('node:child_process');
  for (const n of Object.keys(cases)) {
    const r = {};
    for (const im of ['prom', 'vigil'])
      r[im] = Number(execFileSync(process.execPath, [__filename, n, im]).toString());
    console.log(
      n.padEnd(30),
      (r.prom / 1e6).toFixed(2).padStart(8),
      (r.vigil / 1e6).toFixed(2).padStart(8),
      `Mops/s  x${(r.vigil / r.prom).toFixed(1)}`,
    );
  }
} else {
  const p = impls[impl];
  const fn = cases[name](p, new p.Registry());
  const n = name.startsWith('summary') ? N / 4 : N;
  for (let i = 0; i < 200000; i++) fn();
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  process.stdout.write(String(n / (Number(process.hrtime.bigint() - t) / 1e9)));
}
