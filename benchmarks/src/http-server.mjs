// One HTTP server for the load benchmark, in its own process: a one-route app, bare, with Vigil,
// or with the peer middleware a user would pick instead. Prints its port on stdout; answers `cpu`
// on the IPC channel with its process.cpuUsage().
//   node src/http-server.mjs express|fastify bare|vigil|peer
import { Registry } from '@vigil/core';

const [framework, variant] = process.argv.slice(2);

async function expressApp() {
  const { default: express } = await import('express');
  const app = express();
  if (variant === 'vigil') {
    const { vigil } = await import('@vigil/express');
    app.use(vigil({ registry: new Registry() }));
  } else if (variant === 'peer') {
    const { default: promBundle } = await import('express-prom-bundle');
    app.use(promBundle({ includeMethod: true, includePath: true, includeStatusCode: true }));
  }
  app.get('/hello/:name', (req, res) => {
    res.json({ hello: req.params.name });
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server.address().port));
  });
}

async function fastifyApp() {
  const { default: Fastify } = await import('fastify');
  const app = Fastify();
  if (variant === 'vigil') {
    const { vigil } = await import('@vigil/fastify');
    await app.register(vigil, { registry: new Registry() });
  } else if (variant === 'peer') {
    const { default: metrics } = await import('fastify-metrics');
    await app.register(metrics, { endpoint: '/metrics' });
  }
  app.get('/hello/:name', async (request) => ({ hello: request.params.name }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server.address().port;
}

if (!['express', 'fastify'].includes(framework) || !['bare', 'vigil', 'peer'].includes(variant)) {
  throw new Error('usage: node src/http-server.mjs express|fastify bare|vigil|peer');
}
const port = framework === 'express' ? await expressApp() : await fastifyApp();
// The load driver reads this process's CPU time (user + system, every thread: GC helpers
// included) before and after each batch of requests, through the IPC channel.
process.on('message', (message) => {
  if (message === 'cpu') process.send?.(process.cpuUsage());
  // profile-http.mjs ends the server this way: a normal exit writes its CPU profile.
  if (message === 'exit') process.exit(0);
});
process.stdout.write(`${port}\n`);
