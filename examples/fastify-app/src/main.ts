import { buildApp } from './app.js';

const HOST = '127.0.0.1';
const PORT = Number(process.env.PORT ?? 3001);

const app = await buildApp();
const url = await app.listen({ port: PORT, host: HOST });
console.log(`Vigil Fastify example on ${url}`);
console.log(`  ${url}/api/v1/orders/1   (POST ${url}/api/v1/orders to add one)`);
console.log(`  ${url}/_vigil/metrics`);
console.log(`  ${url}/_vigil/health`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
