import { packageBuild } from '../../tsup.config.base.js';

export default packageBuild(
  { index: 'src/index.ts', 'redis/index': 'src/redis/index.ts' },
  { external: ['ioredis'] },
);
