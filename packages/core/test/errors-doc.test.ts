import { join } from 'node:path';
import { describeErrorsDoc } from '@vigil/test-support';
import { expect } from 'vitest';

describeErrorsDoc(
  join(import.meta.dirname, '..', 'src'),
  /'((?:INVALID|METRIC|LABELS|CARDINALITY)_[A-Z_]+)'/g,
  { found: (codes) => expect(codes.size).toBeGreaterThan(5) },
);
