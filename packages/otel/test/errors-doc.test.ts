import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { OTEL_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/otel',
  codes: OTEL_ERROR_CODES,
  // Core's configuration errors, thrown at construction.
  reuses: ['INVALID_OPTION', 'INVALID_DURATION'],
  // Failures during a scrape go to onError, whose default is this warning.
  warnings: ['VIGIL_BACKGROUND_ERROR'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
