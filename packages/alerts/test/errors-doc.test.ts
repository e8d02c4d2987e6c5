import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { ALERTS_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/alerts',
  codes: ALERTS_ERROR_CODES,
  // Core's configuration errors (rules in code, engine options), and the not-found the routes
  // answer as @vigil/http answers its own.
  reuses: ['INVALID_OPTION', 'INVALID_DURATION', 'HTTP_NOT_FOUND'],
  // Prometheus's series names, not codes.
  foreign: ['ALERTS_FOR_STATE'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
