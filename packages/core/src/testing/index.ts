// `@vigil/core/testing`: what a host's tests (and Vigil's own) use to control time.
export { MANUAL_CLOCK_EPOCH, type ManualClock, manualClock } from './manual-clock.js';
