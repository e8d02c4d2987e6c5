import { invalidOption, optionalFunction, optionalString, required } from '@vigil/core/options';
import type { CheckOptions, HealthCheck } from '../health-check.js';
import { builtInCheck } from './built-in-check.js';

const OWNER = 'checks.custom';

/**
 * Your own check: `fn(signal)` returns an outcome (`{ status, observedValue?, … }`), `true` or
 * nothing to pass, `false` to fail, or throws to fail with the error's message. Critical and
 * not quick by default, like any check.
 */
export function custom(
  name: string,
  fn: HealthCheck['run'],
  options: Omit<CheckOptions, 'name'> = {},
): HealthCheck {
  required(
    OWNER,
    'name',
    optionalString(OWNER, 'name', name),
    'a non-empty string such as "queue"',
  );
  required(OWNER, 'fn', optionalFunction(OWNER, 'fn', fn), 'a function (signal) => outcome');
  if ((options as CheckOptions).name !== undefined) {
    throw invalidOption(OWNER, 'give the name as the first argument, not as an option');
  }
  return builtInCheck(OWNER, options, [], { name, critical: true, quick: false }, { run: fn });
}
