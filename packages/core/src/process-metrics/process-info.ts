import type { MetricFactory } from './metric-factory.js';

/** `process_start_time_seconds` and `nodejs_version_info{version,major,minor,patch}`. */
export function registerProcessInfo(registry: MetricFactory): void {
  // Floor: rounding could put the start up to half a second in the future.
  const startSeconds = Math.floor((performance.timeOrigin ?? Date.now()) / 1000);
  registry
    .gauge({
      name: 'process_start_time_seconds',
      help: 'Start time of the process since unix epoch in seconds.',
    })
    .set(startSeconds);
  const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
  registry
    .gauge({
      name: 'nodejs_version_info',
      help: 'Node.js version info.',
      labelNames: ['version', 'major', 'minor', 'patch'],
    })
    .set({ version: process.version, major, minor, patch }, 1);
}
