import { packageTest } from '../../vitest.shared.js';

// Starts the shared throw-away server on loopback (scripts/) and leaves it up.
export default packageTest({ globalSetup: ['test/global-setup.ts'] });
