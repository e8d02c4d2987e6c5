import type Database from 'better-sqlite3';
import type { SqliteConnection } from './sqlite-connection.js';

// Rows per statement: one statement per row costs more in binding and stepping than SQLite's own
// work; 50 rows per statement roughly doubles the insert rate, and stays far below the limit of
// bound parameters.
const ROWS = 50;

/**
 * Inserts many rows of numbers through multi-row `INSERT … VALUES (…), (…), …` statements. Push
 * the values of each row in column order, then `flush()` once (inside the transaction).
 */
export class BatchedInsert {
  readonly #connection: SqliteConnection;
  readonly #head: string;
  readonly #tail: string;
  readonly #width: number;
  readonly #args: number[];
  #length = 0;
  #full: Database.Statement | undefined;

  /**
   * `head` is `INSERT INTO table (columns) VALUES`, `tail` what follows the rows (an `ON
   * CONFLICT` clause), `width` the number of columns.
   */
  constructor(connection: SqliteConnection, head: string, width: number, tail = '') {
    this.#connection = connection;
    this.#head = head;
    this.#tail = tail;
    this.#width = width;
    this.#args = new Array<number>(width * ROWS);
  }

  push(value: number): void {
    this.#args[this.#length++] = value;
    if (this.#length === this.#args.length) {
      this.#full ??= this.#statement(ROWS);
      this.#full.run(...this.#args);
      this.#length = 0;
    }
  }

  /** Writes the rows pushed since the last full statement. */
  flush(): void {
    if (this.#length === 0) return;
    this.#statement(this.#length / this.#width).run(...this.#args.slice(0, this.#length));
    this.#length = 0;
  }

  #statement(rows: number): Database.Statement {
    const row = `(${new Array(this.#width).fill('?').join(', ')})`;
    return this.#connection.statement(
      `${this.#head} ${new Array(rows).fill(row).join(', ')} ${this.#tail}`,
    );
  }
}
