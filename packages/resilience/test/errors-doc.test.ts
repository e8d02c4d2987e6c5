import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { expect } from 'vitest';

const OWN = ['BREAKER_OPEN', 'TIMEOUT', 'BULKHEAD_FULL', 'ABORTED', 'INVALID_BREAKER_STATE'];

// Every quoted upper-case code the source throws: this package's own and core's it reuses.
describeErrorsDoc(
  join(import.meta.dirname, '..', 'src'),
  /'((?:BREAKER|TIMEOUT|BULKHEAD|ABORTED|INVALID)[A-Z_]*)'/g,
  {
    section: '@vigil/resilience',
    own: OWN,
    found: (codes) =>
      expect([...codes].sort()).toEqual(
        expect.arrayContaining([
          'ABORTED',
          'BREAKER_OPEN',
          'BULKHEAD_FULL',
          'INVALID_BREAKER_STATE',
          'TIMEOUT',
        ]),
      ),
  },
);
