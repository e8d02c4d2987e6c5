import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { expect } from 'vitest';
import { HEALTH_ERROR_CODES } from '../src/index.js';

// Every quoted upper-case code the source throws: this package's own, listed in
// HEALTH_ERROR_CODES (core's INVALID_OPTION and INVALID_DURATION come through core's checks).
describeErrorsDoc(join(import.meta.dirname, '..', 'src'), /'(HEALTH_[A-Z_]+)'/g, {
  section: '@vigil/health',
  own: HEALTH_ERROR_CODES,
  found: (codes) => expect([...codes].sort()).toEqual([...HEALTH_ERROR_CODES].sort()),
});
