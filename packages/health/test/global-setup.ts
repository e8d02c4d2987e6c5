import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared test Redis. */
    redisUrl: string;
    /** URL of the shared test PostgreSQL. */
    postgresUrl: string;
  }
}

function start(script: string): string {
  const path = fileURLToPath(new URL(`../../../scripts/${script}`, import.meta.url));
  return execFileSync('bash', [path, 'start'], { encoding: 'utf8' }).trim();
}

/**
 * Starts the shared throw-away Redis and PostgreSQL on 127.0.0.1 (idempotent: reuses servers
 * already running) and leaves them up for the other packages' tests.
 */
export default function setup(project: TestProject): void {
  project.provide('redisUrl', start('redis.sh'));
  project.provide('postgresUrl', start('postgres.sh'));
}
