import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { JOBS_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/jobs',
  codes: JOBS_ERROR_CODES,
  // Core's configuration errors, resilience's TimeoutError for an attempt past its timeout, and
  // what the jobs routes answer with or recognise: @vigil/http's bad request and not found, a
  // store's bad argument.
  reuses: [
    'INVALID_OPTION',
    'INVALID_DURATION',
    'TIMEOUT',
    'HTTP_BAD_REQUEST',
    'HTTP_NOT_FOUND',
    'STORE_INVALID_ARGUMENT',
  ],
  // Failures of background work go to onError, or to this warning.
  warnings: ['VIGIL_BACKGROUND_ERROR'],
  // better-sqlite3's and Node's codes, which the SQLite backend reads to explain a failure.
  foreign: [
    'SQLITE_BUSY',
    'SQLITE_LOCKED',
    'SQLITE_NOTADB',
    'SQLITE_CORRUPT',
    'ERR_MODULE_NOT_FOUND',
    'MODULE_NOT_FOUND',
  ],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
