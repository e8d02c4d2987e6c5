import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the shared test Redis. */
    redisUrl: string;
    /** URL of the shared test PostgreSQL. */
    postgresUrl: string;
    /** URL of the shared test Pushgateway. */
    pushgatewayUrl: string;
  }
}

/** A throw-away server that a script in `scripts/` starts on loopback. */
export type TestService = 'redis' | 'postgres' | 'pushgateway';

const PROVIDED = {
  redis: 'redisUrl',
  postgres: 'postgresUrl',
  pushgateway: 'pushgatewayUrl',
} as const;

/**
 * For a package's vitest `globalSetup`: starts each shared server (idempotent: one already
 * running is reused, and left running for the next suite) and hands its URL to the tests, as
 * `inject('redisUrl')`, `inject('postgresUrl')`, `inject('pushgatewayUrl')`. Tests isolate themselves by key prefix or schema.
 */
export function provideTestServices(project: TestProject, services: readonly TestService[]): void {
  for (const service of services) {
    const script = fileURLToPath(new URL(`../../../scripts/${service}.sh`, import.meta.url));
    const url = execFileSync('bash', [script, 'start'], { encoding: 'utf8' }).trim();
    project.provide(PROVIDED[service], url);
  }
}
