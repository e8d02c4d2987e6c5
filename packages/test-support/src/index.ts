// `@vigil/test-support`: helpers for the Vigil packages' own tests. Private, never published.
export { caught, rejection } from './caught.js';
export { forkReadyWorker, stopWorker } from './cluster-workers.js';
export { type Deferred, deferred } from './deferred.js';
export { describeErrorsDoc, type ErrorsDocOptions } from './errors-doc.js';
export { freePort } from './free-port.js';
export { type LoopbackServer, serveOnLoopback } from './loopback-server.js';
export {
  type ParsedExemplar,
  type ParsedExposition,
  type ParsedFamily,
  type ParsedSample,
  parseExposition,
  type TextFormat,
  unescapeHelp,
} from './prometheus-text.js';
export {
  type ReadmeExampleOptions,
  type ReadmeScriptOptions,
  type RunningExample,
  runReadmeExample,
  runReadmeScript,
} from './readme-example.js';
export { type RawOutcome, rawTarget, requestTargets } from './request-targets.js';
export { provideTestServices, type TestService } from './test-services.js';
