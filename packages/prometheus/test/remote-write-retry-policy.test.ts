import { describe, expect, it } from 'vitest';
import { backoffDelay, retryDecision } from '../src/remote-write/retry-policy.js';
import { isRetryableStatus, parseRetryAfter } from '../src/send-request.js';

const POLICY = { maxAttempts: 4, minBackoff: 100, maxBackoff: 1_000 };
const NOW = Date.UTC(2026, 9, 21, 7, 28, 0);

describe('isRetryableStatus', () => {
  it('retries 5xx and 429, never another 4xx', () => {
    for (const status of [500, 502, 503, 504, 599, 429])
      expect(isRetryableStatus(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 413, 422, 499]) {
      expect(isRetryableStatus(status)).toBe(false);
    }
  });
});

describe('backoffDelay', () => {
  it('doubles from minBackoff and stops at maxBackoff', () => {
    expect([1, 2, 3, 4, 5, 30].map((retry) => backoffDelay(POLICY, retry))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
  });

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', NOW)).toBe(5_000);
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:27:00 GMT', NOW)).toBe(0);
  });

  it('ignores a missing or malformed header', () => {
    for (const header of [null, undefined, '', '-1', '1.5', 'soon', '12 seconds']) {
      expect(parseRetryAfter(header, NOW)).toBeUndefined();
    }
  });
});

describe('retryDecision', () => {
  it('does not retry what is not retryable', () => {
    expect(retryDecision(POLICY, 1, { retryable: false })).toEqual({ retry: false });
    expect(retryDecision(POLICY, 1, { retryable: false, retryAfter: 10 })).toEqual({
      retry: false,
    });
  });

  it('backs off until maxAttempts', () => {
    expect(retryDecision(POLICY, 1, { retryable: true })).toEqual({ retry: true, delay: 100 });
    expect(retryDecision(POLICY, 3, { retryable: true })).toEqual({ retry: true, delay: 400 });
    expect(retryDecision(POLICY, 4, { retryable: true })).toEqual({ retry: false });
  });

  it('waits for Retry-After instead of the backoff', () => {
    expect(retryDecision(POLICY, 1, { retryable: true, retryAfter: 700 })).toEqual({
      retry: true,
      delay: 700,
    });
    expect(retryDecision(POLICY, 2, { retryable: true, retryAfter: 0 })).toEqual({
      retry: true,
      delay: 0,
    });
  });

  it('gives up and holds off when Retry-After is longer than maxBackoff', () => {
    expect(retryDecision(POLICY, 1, { retryable: true, retryAfter: 60_000 })).toEqual({
      retry: false,
      holdOff: 60_000,
    });
  });
});
