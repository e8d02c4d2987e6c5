import { Registry } from '@vigil/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyFigures } from '../src/live-table.js';
import { SimulatedPartner } from '../src/simulated-partner.js';

describe('the simulated partner', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens its breaker during the outage, then closes it once the partner is back', async () => {
    const registry = new Registry();
    const partner = new SimulatedPartner(registry);
    const states: string[] = [];
    partner.breaker.on('stateChange', (event) => states.push(event.to));
    partner.start();
    await vi.advanceTimersByTimeAsync(4_000); // one second into the outage
    expect(partner.breaker.state).toBe('open');
    const during = keyFigures(registry.snapshot());
    expect(during.partnerBreaker).toBe('open');
    expect(during.partnerCalls.rejected).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(4_000); // two seconds after it
    await partner.stop();
    expect(partner.breaker.state).toBe('closed');
    expect(states).toContain('half-open');
    const after = keyFigures(registry.snapshot());
    expect(after.partnerBreaker).toBe('closed');
    expect(after.partnerCalls.success).toBeGreaterThan(0);
    const api = registry.get('vigil_api_duration_seconds');
    expect(api?.type).toBe('histogram');
  });
});
