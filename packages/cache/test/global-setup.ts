import { provideTestServices } from '@vigil/test-support';
import type { TestProject } from 'vitest/node';

/** The shared Redis on loopback, for the Redis tier. */
export default function setup(project: TestProject): void {
  provideTestServices(project, ['redis']);
}
