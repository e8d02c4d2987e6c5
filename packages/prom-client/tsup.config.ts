import { packageBuild } from '../../tsup.config.base.js';

// Two builds into one dist/: the ES module (named exports and a default export, as `import client
// from 'prom-client'` expects) and the CommonJS one, whose module.exports has prom-client's keys.
// A CommonJS `default` that is the module itself (not enumerable) makes TypeScript's
// `import client from 'prom-client'` (esModuleInterop's __importDefault, which trusts the
// `__esModule` flag the bundler sets) answer the module, as it does for prom-client.
export default [
  packageBuild({ index: 'src/esm-entry.ts' }, { format: ['esm'], clean: false }),
  packageBuild(
    { index: 'src/index.ts' },
    {
      format: ['cjs'],
      clean: false,
      footer: {
        js: "Object.defineProperty(module.exports, 'default', { value: module.exports, enumerable: false });",
      },
    },
  ),
];
