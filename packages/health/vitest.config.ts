import { packageTest } from '../../vitest.shared.js';

// Starts the shared Redis and PostgreSQL on 127.0.0.1 (scripts/) and leaves them up.
export default packageTest({ globalSetup: ['test/global-setup.ts'] });
