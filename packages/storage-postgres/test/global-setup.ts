import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

// Starts the shared throw-away PostgreSQL (idempotent; CI has usually started it already) and
// leaves it running, as scripts/services.sh expects. Tests isolate themselves by schema.
export default function setup(project: TestProject): void {
  const script = fileURLToPath(new URL('../../../scripts/postgres.sh', import.meta.url));
  const url = execFileSync('bash', [script, 'start'], { encoding: 'utf8' }).trim();
  project.provide('postgresUrl', url);
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
