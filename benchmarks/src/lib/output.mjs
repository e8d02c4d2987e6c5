/** Prints `value` as one JSON line (read by run.mjs from a child process's stdout). */
export function printJson(value) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
