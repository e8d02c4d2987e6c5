import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';

// @vigil/next has no codes of its own: options throw core's, answers use @vigil/http's.
describeErrorsDoc({
  section: '@vigil/next',
  codes: [],
  reuses: ['INVALID_OPTION', 'HTTP_NOT_FOUND'],
  // The digests Next.js itself gives the errors that notFound() and redirect() throw.
  foreign: ['NEXT_HTTP_ERROR_FALLBACK', 'NEXT_NOT_FOUND', 'NEXT_REDIRECT'],
  srcDir: join(import.meta.dirname, '..', 'src'),
});
