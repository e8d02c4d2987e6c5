import { provideTestServices } from '@vigil/test-support';
import type { TestProject } from 'vitest/node';

/** The shared Pushgateway on loopback (scripts/pushgateway.sh). */
export default function setup(project: TestProject): void {
  provideTestServices(project, ['pushgateway']);
}
