// `@vigil/core/options`: the one options checker every Vigil package uses, for package authors.
// Hosts never need it; it is not on core's root export.
export {
  hasMethods,
  optionalClock,
  optionalOnError,
  optionalRegistry,
  optionalTimers,
} from './capability-checks.js';
export { describeValue } from './describe-value.js';
export { type DurationBounds, MAX_TIMER_DELAY, optionalDuration } from './duration-option.js';
export { invalidOption } from './invalid-option.js';
export { checkOptionsObject, unknownOptionMessage } from './options-object.js';
export {
  type NumberBounds,
  optionalBoolean,
  optionalChoice,
  optionalFunction,
  optionalInteger,
  optionalNumber,
  optionalRate,
  optionalString,
  required,
} from './value-checks.js';
