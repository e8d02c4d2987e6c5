import cluster, { type Worker } from 'node:cluster';

/**
 * Forks a cluster worker (of the script `cluster.setupPrimary({ exec })` named) with `env`, and
 * resolves once it sends its first message: the fixture scripts send one when they are ready.
 * Rejects if the worker exits first.
 */
export function forkReadyWorker(env: Record<string, string>): Promise<Worker> {
  const worker = cluster.fork(env);
  return new Promise((resolve, reject) => {
    worker.once('message', () => resolve(worker));
    worker.once('exit', (code) =>
      reject(new Error(`worker ${JSON.stringify(env)} exited with ${code}`)),
    );
  });
}

/** Kills `worker` and resolves once it has exited (at once if it already has). */
export function stopWorker(worker: Worker): Promise<void> {
  if (worker.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    worker.once('exit', () => resolve());
    worker.process.kill();
  });
}
