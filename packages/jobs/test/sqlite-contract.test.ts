import { JobRunner } from '../src/index.js';
import { sqliteBackend } from '../src/sqlite/index.js';
import { describeJobBackendContract } from '../src/testing/index.js';
import { removeTempDatabases, tempDatabase } from './support/sqlite-files.js';

describeJobBackendContract('sqlite', {
  setup: async () => {
    const path = tempDatabase();
    return {
      durable: true,
      time: 'manual',
      // A new backend on the same file for every runner: a runner made after another closed
      // finds what the first one kept.
      runner: (options) =>
        new JobRunner({ ...options, backend: sqliteBackend({ path, timers: options.timers }) }),
      cleanup: async () => removeTempDatabases(),
    };
  },
});
