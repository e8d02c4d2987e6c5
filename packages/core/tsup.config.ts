import { packageBuild } from '../../tsup.config.base.js';

export default packageBuild(['src/index.ts', 'src/options/index.ts', 'src/testing/index.ts']);
