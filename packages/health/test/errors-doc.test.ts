import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { expect } from 'vitest';

const OWN = ['HEALTH_CLOSED', 'HEALTH_CHECK_TIMEOUT'];

// Every quoted upper-case code the source throws: this package's own and core's it reuses.
describeErrorsDoc(join(import.meta.dirname, '..', 'src'), /'((?:HEALTH|INVALID)_[A-Z_]+)'/g, {
  section: '@vigil/health',
  own: OWN,
  found: (codes) =>
    expect([...codes]).toEqual(
      expect.arrayContaining([...OWN, 'INVALID_OPTION', 'INVALID_DURATION']),
    ),
});
