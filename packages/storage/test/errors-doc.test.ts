import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { STORAGE_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/storage',
  codes: STORAGE_ERROR_CODES,
  reuses: ['INVALID_OPTION', 'INVALID_DURATION'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
