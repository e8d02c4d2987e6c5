// The load of the HTTP benchmark, in its own process so that its CPU is never the server's: a
// fixed number of `GET /hello/world` requests with autocannon. Prints one JSON line.
//   node src/http-client.mjs <port> <requests> [connections=50]
import autocannon from 'autocannon';
import { printJson } from './lib/output.mjs';

const [port, amount, connections = '50'] = process.argv.slice(2);
const start = performance.now();
const result = await autocannon({
  url: `http://127.0.0.1:${port}/hello/world`,
  connections: Number(connections),
  amount: Number(amount),
});
printJson({
  // 2xx responses: autocannon counts what it sent, the server may have answered fewer.
  responses: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  elapsedMs: performance.now() - start,
});
