import { packageTest } from '../../vitest.shared.js';

// Starts the shared throw-away Pushgateway on loopback (scripts/) for the push tests.
export default packageTest({ globalSetup: ['test/global-setup.ts'] });
