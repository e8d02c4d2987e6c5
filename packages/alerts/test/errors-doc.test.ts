import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { ALERTS_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/alerts',
  codes: ALERTS_ERROR_CODES,
  srcDir: join(import.meta.dirname, '..', 'src'),
});
