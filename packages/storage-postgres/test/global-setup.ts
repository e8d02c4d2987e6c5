import { provideTestServices } from '@vigil/test-support';
import type { TestProject } from 'vitest/node';

/** The shared PostgreSQL on loopback (CI has usually started it already). */
export default function setup(project: TestProject): void {
  provideTestServices(project, ['postgres']);
}
