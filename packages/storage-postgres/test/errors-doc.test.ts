import { join } from 'node:path';
import { STORAGE_ERROR_CODES } from '@vigil/storage';
import { describeErrorsDoc } from '@vigil/test-support';

// The PostgreSQL store throws @vigil/storage's codes, documented in its section.
describeErrorsDoc({
  section: '@vigil/storage',
  codes: STORAGE_ERROR_CODES,
  reuses: ['INVALID_OPTION', 'INVALID_DURATION'],
  // The DNS failure code Node gives a host name that does not resolve (for now).
  foreign: ['EAI_AGAIN'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
