import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const script = `${root}scripts/postgres.sh`;

/**
 * A PostgreSQL of the test's own (never the shared one), on `port`, with its data in
 * `/tmp/vigil-postgres-own-<port>` (where the postgres user can enter even when the checkout sits
 * in a private folder): started by the shared script, killed by pid, and started again on the
 * same data directory.
 */
export class OwnServer {
  readonly port: number;
  readonly url: string;
  readonly #dir: string;
  readonly #dataDir: string;

  constructor(port: number) {
    this.port = port;
    this.url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    this.#dir = `/tmp/vigil-postgres-own-${port}`;
    this.#dataDir = `${this.#dir}/data`;
  }

  /** Starts the server, or starts it again on its existing data (crash recovery included). */
  start(): void {
    execFileSync('bash', [script, 'start', String(this.port), this.#dir], { stdio: 'pipe' });
  }

  /** The postmaster's pid, from the `postmaster.pid` file pg_ctl wrote. */
  pid(): number {
    const pid = Number(readFileSync(`${this.#dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    if (!Number.isInteger(pid) || pid <= 0)
      throw new Error(`no postmaster pid in ${this.#dataDir}`);
    return pid;
  }

  /** SIGKILLs the postmaster and waits until it is gone (its backends follow it). */
  async kill(): Promise<void> {
    const pid = this.pid();
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) one process of the server, the postmaster by default. */
  signal(signal: 'SIGSTOP' | 'SIGCONT', pid = this.pid()): void {
    process.kill(pid, signal);
  }

  /** Stops the server and removes its data (the script's own stop). */
  remove(): void {
    execFileSync('bash', [script, 'stop', String(this.port), this.#dir]);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
