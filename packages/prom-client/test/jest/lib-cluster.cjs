// prom-client's `lib/cluster` module is its AggregatorRegistry class (exported publicly as
// `AggregatorRegistry`); clusterTest.js requires it directly, so the jest config maps it here.
module.exports = require('../../dist/index.cjs').AggregatorRegistry;
