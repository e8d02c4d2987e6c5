import type { TimerGroup } from '@vigil/timers';

/** A user row of the fake database. */
export interface User {
  id: number;
  name: string;
}

const USERS: readonly User[] = [
  { id: 1, name: 'Ada' },
  { id: 2, name: 'Grace' },
  { id: 3, name: 'Edsger' },
];

/**
 * A stand-in for a database client: every query waits `latencyMs` and is timed with the
 * `db` timer of `@vigil/timers` (`vigil_db_duration_seconds`, and a `db` entry in the request's
 * Server-Timing header).
 */
export class FakeDb {
  readonly #timers: TimerGroup;
  readonly #latencyMs: number;

  constructor(timers: TimerGroup, latencyMs: number) {
    this.#timers = timers;
    this.#latencyMs = latencyMs;
  }

  /** `SELECT … FROM users WHERE id = $1`. */
  async findUser(id: number): Promise<User | undefined> {
    using _timer = this.#timers.db('select', 'users', 'SELECT id, name FROM users WHERE id = $1');
    await this.#wait();
    return USERS.find((user) => user.id === id);
  }

  /** `SELECT 1`, for the health check. */
  async ping(): Promise<boolean> {
    await this.#wait();
    return true;
  }

  #wait(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.#latencyMs));
  }
}
