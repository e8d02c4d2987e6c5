import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { FASTIFY_ERROR_CODES } from '../src/index.js';

describeErrorsDoc({
  section: '@vigil/fastify',
  codes: FASTIFY_ERROR_CODES,
  reuses: ['INVALID_OPTION'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
