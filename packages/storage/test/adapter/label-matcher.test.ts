import { describe, expect, it } from 'vitest';
import { matchesLabels } from '../../src/adapter/index.js';

describe('matchesLabels', () => {
  const labels = { status: '503', route: '/users/:id' };

  it('matches every series without matchers', () => {
    expect(matchesLabels(labels, undefined)).toBe(true);
    expect(matchesLabels(labels, {})).toBe(true);
  });

  it('matches strings exactly and RegExps anchored, as Prometheus does', () => {
    expect(matchesLabels(labels, { status: '503' })).toBe(true);
    expect(matchesLabels(labels, { status: '50' })).toBe(false);
    expect(matchesLabels(labels, { status: /5../ })).toBe(true);
    expect(matchesLabels(labels, { status: /0/ })).toBe(false);
    expect(matchesLabels({ status: '1503' }, { status: /5../ })).toBe(false);
    expect(matchesLabels(labels, { status: /4..|5../ })).toBe(true);
    expect(matchesLabels(labels, { route: /\/USERS\/.*/i })).toBe(true);
  });

  it('ignores g and y flags (no lastIndex state between calls)', () => {
    const sticky = /5../gy;
    expect(matchesLabels(labels, { status: sticky })).toBe(true);
    expect(matchesLabels(labels, { status: sticky })).toBe(true);
  });

  it('negates with not, and treats a missing label as ""', () => {
    expect(matchesLabels(labels, { status: { not: /5../ } })).toBe(false);
    expect(matchesLabels(labels, { status: { not: '200' } })).toBe(true);
    expect(matchesLabels(labels, { method: '' })).toBe(true);
    expect(matchesLabels(labels, { method: { not: '' } })).toBe(false);
    expect(matchesLabels(labels, { method: /.*/ })).toBe(true);
    expect(matchesLabels(labels, { method: /.+/ })).toBe(false);
  });

  it('requires every matcher to hold', () => {
    expect(matchesLabels(labels, { status: /5../, route: '/' })).toBe(false);
  });
});
