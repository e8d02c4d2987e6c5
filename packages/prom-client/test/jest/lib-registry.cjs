// prom-client's `lib/registry` module is its Registry class (with `Registry.globalRegistry`);
// registerTest.js requires it directly, so the jest config maps it to the facade's class.
module.exports = require('../../dist/index.cjs').Registry;
