import { packageTest } from '../../vitest.shared.js';

// `next build` takes a minute or two on a small shared machine.
export default packageTest({ hookTimeout: 300_000 });
