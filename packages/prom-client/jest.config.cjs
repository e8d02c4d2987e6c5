// Runs prom-client 15.1.3's own tests (vendored, unmodified) against this package's built CJS
// output: `../index` and `../../index` (prom-client's entry point) resolve to dist/index.cjs.
// Tests of prom-client's private modules (`../lib/…`) are out of scope and ignored.
const path = require('node:path');

const entry = path.join(__dirname, 'dist', 'index.cjs');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.join(__dirname, 'vendor', 'prom-client-tests'),
  testEnvironment: 'node',
  testRegex: '.*Test\\.js$',
  moduleNameMapper: {
    '^\\.\\./index$': entry,
    '^\\.\\./\\.\\./index$': entry,
    // registerTest.js takes the Registry class from prom-client's lib/registry in two blocks:
    // the same class as the entry point's Registry.
    '^\\.\\./lib/registry$': path.join(__dirname, 'test', 'jest', 'lib-registry.cjs'),
    // clusterTest.js takes AggregatorRegistry from lib/cluster, the module that defines it.
    '^\\.\\./lib/cluster$': path.join(__dirname, 'test', 'jest', 'lib-cluster.cjs'),
  },
  testPathIgnorePatterns: [
    '/node_modules/',
    // These require prom-client's private modules (lib/timeWindowQuantiles, lib/util,
    // lib/validation, lib/metrics/*), which a drop-in replacement does not have.
    '/test/timeWindowQuantilesTest\\.js$',
    '/test/utilTest\\.js$',
    '/test/validationTest\\.js$',
    '/test/metrics/',
  ],
};
