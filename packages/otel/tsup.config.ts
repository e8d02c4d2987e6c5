import { packageBuild } from '../../tsup.config.base.js';

export default packageBuild(['src/index.ts'], {
  external: ['@opentelemetry/api', '@opentelemetry/sdk-metrics'],
});
