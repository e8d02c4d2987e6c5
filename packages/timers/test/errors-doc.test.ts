import { describeErrorsDoc } from '@vigil/test-support';

describeErrorsDoc({
  section: '@vigil/timers',
  codes: [
    'TIMERS_INVALID_OPTION',
    'TIMERS_INVALID_METRIC',
    'TIMERS_INVALID_DECORATOR',
    'TIMERS_INVALID_BASELINES',
  ],
});
