import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { PROMETHEUS_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/prometheus',
  codes: PROMETHEUS_ERROR_CODES,
  // Core's configuration errors, and the invalid snapshot readSnapshot refuses.
  reuses: ['INVALID_OPTION', 'INVALID_DURATION', 'INVALID_VALUE'],
  warnings: ['VIGIL_BACKGROUND_ERROR'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
