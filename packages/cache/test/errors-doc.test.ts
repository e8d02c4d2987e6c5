import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { CACHE_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/cache',
  codes: CACHE_ERROR_CODES,
  // Core's configuration errors, resilience's timeout, and the not-found the routes answer as
  // @vigil/http answers its own.
  reuses: ['INVALID_OPTION', 'INVALID_DURATION', 'TIMEOUT', 'HTTP_NOT_FOUND'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
