import { Registry } from '@vigil/core';
import { describe, expect, it } from 'vitest';
import { keyFigures, renderTable } from '../src/live-table.js';
import { SimulatedService } from '../src/simulated-service.js';

describe('the quickstart demo', () => {
  it('reads its key figures from the registry snapshot', () => {
    const registry = new Registry();
    new SimulatedService(registry);
    const requests = registry.get('http_requests_total');
    if (requests?.type !== 'counter') throw new Error('expected the request counter');
    requests.inc({ method: 'GET', route: '/orders', status: '200' }, 98);
    requests.inc({ method: 'GET', route: '/orders', status: '500' }, 2);
    const figures = keyFigures(registry.snapshot());
    expect(figures.requests).toBe(100);
    expect(figures.errors).toBe(2);
    expect(renderTable(figures, 100, 3)).toContain('errors (5xx)     2 (2.00 %)');
  });

  it('shows the resident memory from the default process metrics', () => {
    const registry = new Registry();
    registry
      .gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory.' })
      .set(64 * 2 ** 20);
    const figures = keyFigures(registry.snapshot());
    expect(renderTable(figures, 0, 1)).toContain('resident memory  64.0 MiB');
  });
});
