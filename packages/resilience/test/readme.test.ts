import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { runReadmeScript } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

// The README's examples run against the built package, as a user would run them.
describe('README', () => {
  it('the example retries a partner that fails once, through the breaker, and tears down', async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      if (requests === 1) response.writeHead(503).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"price":42}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const printed = await runReadmeScript(PACKAGE, {
        block: 0,
        env: { PARTNER_URL: `http://127.0.0.1:${port}/quote` },
      });
      expect(printed).toMatch(/^\{ price: 42 \}/);
      expect(printed).toContain('vigil_retry_attempts_total{policy="partner"} 1');
      expect(printed).toContain('vigil_breaker_calls_total{breaker="partner",outcome="failure"} 1');
      expect(printed).toContain('vigil_breaker_state{breaker="partner"} 0');
      expect(requests).toBe(2);
    } finally {
      server.close();
    }
  });

  it('the snapshot example restores an open breaker', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 1 })).resolves.toBe('open\n');
  });

  it('the testing example moves a breaker to half-open with a manual clock', async () => {
    await expect(runReadmeScript(PACKAGE, { block: 3 })).resolves.toBe('half-open\n');
  });
});
