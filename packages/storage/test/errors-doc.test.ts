import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';

describeErrorsDoc({
  section: '@vigil/storage',
  codes: ['STORE_CORRUPT', 'STORE_UNAVAILABLE', 'STORE_INVALID_ARGUMENT'],
  reuses: ['INVALID_OPTION', 'INVALID_DURATION'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
