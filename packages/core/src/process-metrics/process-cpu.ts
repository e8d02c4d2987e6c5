import type { MetricFactory } from './metric-factory.js';

/** `process_cpu_{user,system}_seconds_total` and their sum, from `process.cpuUsage()`. */
export function registerProcessCpu(registry: MetricFactory): void {
  let last = process.cpuUsage();
  const user = registry.counter({
    name: 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
  });
  const system = registry.counter({
    name: 'process_cpu_system_seconds_total',
    help: 'Total system CPU time spent in seconds.',
  });
  // The total is read first at exposition, so it takes the new sample and feeds the other two.
  registry.counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    collect: (total) => {
      const now = process.cpuUsage();
      const userSeconds = (now.user - last.user) / 1e6;
      const systemSeconds = (now.system - last.system) / 1e6;
      last = now;
      user.inc(userSeconds);
      system.inc(systemSeconds);
      total.inc(userSeconds + systemSeconds);
    },
  });
}
