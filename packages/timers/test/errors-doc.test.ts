import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { TIMERS_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/timers',
  codes: TIMERS_ERROR_CODES,
  reuses: ['INVALID_OPTION', 'INVALID_DURATION'],
  warnings: ['VIGIL_BACKGROUND_ERROR'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
