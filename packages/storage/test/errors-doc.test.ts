import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { expect } from 'vitest';

describeErrorsDoc(join(import.meta.dirname, '..', 'src'), /'(STORE_[A-Z_]+)'/g, {
  section: '@vigil/storage',
  found: (codes) =>
    expect([...codes].sort()).toEqual([
      'STORE_CORRUPT',
      'STORE_INVALID_ARGUMENT',
      'STORE_UNAVAILABLE',
    ]),
});
