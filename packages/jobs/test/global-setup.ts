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

/** Starts (or reuses) the shared throw-away Redis and PostgreSQL on loopback, for the cluster tests. */
export default function setup(project: TestProject): void {
  const start = (script: string): string =>
    execFileSync(
      'bash',
      [fileURLToPath(new URL(`../../../scripts/${script}`, import.meta.url)), 'start'],
      {
        encoding: 'utf8',
      },
    ).trim();
  project.provide('redisUrl', start('redis.sh'));
  project.provide('postgresUrl', start('postgres.sh'));
}
