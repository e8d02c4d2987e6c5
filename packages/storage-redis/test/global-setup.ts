import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared test Redis. */
    redisUrl: string;
  }
}

const SCRIPT = fileURLToPath(new URL('../../../scripts/redis.sh', import.meta.url));

/** Starts the shared Redis (idempotent: reuses one already running) and hands its URL to tests. */
export default function setup(project: TestProject): void {
  const url = execFileSync('bash', [SCRIPT, 'start'], { encoding: 'utf8' }).trim();
  project.provide('redisUrl', url);
}
