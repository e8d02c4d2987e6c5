import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { expect } from 'vitest';

describeErrorsDoc(join(import.meta.dirname, '..', 'src'), /'(TIMERS_[A-Z_]+)'/g, {
  section: '@vigil/timers',
  found: (codes) => expect(codes.size).toBe(4),
});
