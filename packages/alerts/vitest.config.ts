import { packageTest } from '../../vitest.shared.js';

// Starts the shared throw-away Redis and PostgreSQL on loopback (scripts/) for the tests of
// several engines sharing a store, and leaves them up.
export default packageTest({ globalSetup: ['test/global-setup.ts'] });
