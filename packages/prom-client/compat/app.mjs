// Two apps built on prom-client, with prom-client resolved from the fixture package given as
// the argument (`vigil`: @vigil/prom-client under the name prom-client; `original`: prom-client
// 15.1.3): an Express 5 app with express-prom-bundle 8, and one with @promster/express 14. Each
// serves the same requests; the script prints both /metrics texts as JSON.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const side = join(import.meta.dirname, process.argv[2] ?? 'vigil');
const require = createRequire(join(side, 'package.json'));
const express = require('express');

async function serve(app) {
  const server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  const requests = [
    ...Array.from({ length: 5 }, () => '/users/7'),
    ...Array.from({ length: 3 }, () => '/fail'),
    ...Array.from({ length: 2 }, () => '/missing'),
  ];
  for (const path of requests) await (await fetch(base + path)).arrayBuffer();
  const text = await (await fetch(`${base}/metrics`)).text();
  await new Promise((resolve) => server.close(resolve));
  return text;
}

function routes(app) {
  app.get('/users/:id', (req, res) => res.json({ id: req.params.id }));
  app.get('/fail', (_req, res) => res.status(500).end());
}

const promBundle = require('express-prom-bundle');
const bundled = express();
bundled.use(
  promBundle({
    includeMethod: true,
    includePath: true,
    includeStatusCode: true,
    autoregister: true,
  }),
);
routes(bundled);
const bundleText = await serve(bundled);

// promster registers into prom-client's global registry too: start from an empty one.
require('prom-client').register.clear();
const promster = require('@promster/express');
const withPromster = express();
withPromster.use(promster.createMiddleware({ app: withPromster }));
withPromster.get('/metrics', async (_req, res) => {
  res.setHeader('content-type', promster.getContentType());
  res.end(await promster.getSummary());
});
routes(withPromster);
const promsterText = await serve(withPromster);

process.stdout.write(`${JSON.stringify({ bundleText, promsterText })}\n`);
