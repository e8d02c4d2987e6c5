import { Registry } from '@vigil/core';
import { setHealth, setHttpMetrics, setRegistry } from '../../src/index.js';

/** A fresh process-wide registry (strict, so label mistakes fail the test) and no monitor. */
export function resetGlobals(): Registry {
  setHttpMetrics(undefined);
  setHealth(undefined);
  return setRegistry(new Registry({ onInvalid: 'throw' }));
}
