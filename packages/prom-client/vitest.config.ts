import { packageTest } from '../../vitest.shared.js';

export default packageTest();
