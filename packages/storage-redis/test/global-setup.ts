import { provideTestServices } from '@vigil/test-support';
import type { TestProject } from 'vitest/node';

/** The shared Redis on loopback. */
export default function setup(project: TestProject): void {
  provideTestServices(project, ['redis']);
}
