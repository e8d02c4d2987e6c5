import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';

describeErrorsDoc({
  section: '@vigil/fastify',
  codes: ['FASTIFY_ALREADY_REGISTERED'],
  reuses: ['INVALID_OPTION'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
