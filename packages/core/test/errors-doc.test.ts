import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { CORE_ERROR_CODES, WARNING_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/core',
  codes: CORE_ERROR_CODES,
  warnings: WARNING_CODES,
  srcDir: join(import.meta.dirname, '..', 'src'),
});
