import { join } from 'node:path';
import { type RunningExample, runReadmeExample } from '@vigil/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const PACKAGE = join(import.meta.dirname, '..');

let example: RunningExample | undefined;

afterEach(() => {
  example?.stop();
  example = undefined;
});

/** Runs the README's example (on port 0) and answers the metrics URL it prints. */
async function runExample(): Promise<string> {
  example = await runReadmeExample(PACKAGE, /http:\/\/127\.0\.0\.1:\d+\/_vigil\/metrics/);
  return example.printed;
}

describe('the README example', () => {
  it('runs: it serves /hello, records it, and exposes the metrics', async () => {
    const metricsUrl = await runExample();
    const base = metricsUrl.replace('/_vigil/metrics', '');
    expect(await (await fetch(`${base}/hello`)).text()).toBe('hello\n');
    expect((await fetch(`${base}/wp-login.php`)).status).toBe(404);
    const text = await (await fetch(metricsUrl)).text();
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="/hello",http_response_status_code="200",error_type=""} 1',
    );
    expect(text).toContain(
      'http_server_request_duration_seconds_count{http_request_method="GET",http_route="",http_response_status_code="404",error_type=""} 1',
    );
    expect(text).toContain('http_server_active_requests{http_request_method="GET"} 0');
  });
});
