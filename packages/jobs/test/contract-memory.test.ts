import { JobRunner, memoryBackend } from '../src/index.js';
import { describeJobBackendContract } from '../src/testing/index.js';

describeJobBackendContract('memory', {
  setup: async () => ({
    durable: false,
    time: 'manual',
    runner: (options) => new JobRunner({ ...options, backend: memoryBackend() }),
    cleanup: async () => {},
  }),
});
