import { provideTestServices } from '@vigil/test-support';
import type { TestProject } from 'vitest/node';

/** The shared Redis and PostgreSQL on loopback, for the tests of several engines sharing a store. */
export default function setup(project: TestProject): void {
  provideTestServices(project, ['redis', 'postgres']);
}
