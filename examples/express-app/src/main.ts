import { createApp } from './app.js';

const HOST = '127.0.0.1';
const PORT = Number(process.env.PORT ?? 3000);

const example = createApp();
const server = example.app.listen(PORT, HOST, (error?: Error) => {
  if (error !== undefined) {
    console.error(`could not listen on ${HOST}:${PORT}: ${error.message}`);
    process.exitCode = 1;
    return;
  }
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : PORT;
  const url = `http://${HOST}:${port}`;
  console.log(`Vigil Express example on ${url}`);
  console.log(`  try ${url}/api/users/1, then ${url}/metrics and ${url}/health`);
});

async function shutdown(): Promise<void> {
  example.health.beginShutdown(); // /health/ready answers 503 from now on
  server.close();
  await example.close();
}

process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
