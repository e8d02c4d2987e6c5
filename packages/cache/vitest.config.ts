import { packageTest } from '../../vitest.shared.js';

// Starts the shared throw-away Redis on loopback (scripts/) for the Redis tier's tests.
export default packageTest({ globalSetup: ['test/global-setup.ts'] });
