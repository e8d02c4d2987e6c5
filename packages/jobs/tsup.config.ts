import { packageBuild } from '../../tsup.config.base.js';

export default packageBuild(
  {
    index: 'src/index.ts',
    'sqlite/index': 'src/sqlite/index.ts',
    'bullmq/index': 'src/bullmq/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  { external: ['vitest', 'better-sqlite3', 'bullmq', 'ioredis'] },
);
