import { provideTestServices } from '@vigil/test-support';
import type { TestProject } from 'vitest/node';

/** The shared Redis and PostgreSQL on loopback, for the cluster tests. */
export default function setup(project: TestProject): void {
  provideTestServices(project, ['redis', 'postgres']);
}
