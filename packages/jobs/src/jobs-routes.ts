import { VigilError } from '@vigil/core';
import type { DeadLetter } from '@vigil/storage';
import { filterBody, filterQuery, pageQuery, RouteRefusal } from './dead-letter-request.js';
import { DeadLetterNotFoundError, RunnerClosedError, UnknownJobTypeError } from './errors.js';
import type { BackendStatus, JobRunner } from './job-runner.js';
import type {
  JobsRoute,
  JobsRouteMethod,
  JobsRouteProvider,
  JobsRouteReply,
  JobsRouteRequest,
} from './jobs-route-types.js';
import type { TypeStats } from './type-stats.js';

/** What the routes read from a runner. */
export type JobsRoutesSource = Pick<
  JobRunner,
  'stats' | 'counts' | 'backend' | 'deadLetters' | 'closed' | 'scheduler'
>;

/** A type's stats as `GET /jobs` answers them: absent values are `null`. */
export interface JobTypeSummary
  extends Omit<TypeStats, 'timeout' | 'breaker' | 'p50' | 'p95' | 'lastError'> {
  /** The attempts `failureRate` is the failed share of: the latest, up to 100. */
  readonly recentAttempts: number;
  readonly timeout: number | null;
  readonly breaker: TypeStats['breaker'] | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly lastError: TypeStats['lastError'] | null;
}

/** What `GET /jobs` answers. */
export interface JobsSummary {
  readonly backend: BackendStatus;
  readonly counts: { readonly queued: number; readonly running: number };
  /** Letters stored now, and those the store dropped to stay within its cap. */
  readonly deadLetters: { readonly stored: number; readonly dropped: number };
  readonly types: Readonly<Record<string, JobTypeSummary>>;
}

/** A dead letter as the routes answer it (`type` is the store's `queue`). */
export interface DeadLetterView {
  readonly id: string;
  readonly type: string;
  readonly payload: unknown;
  readonly error: DeadLetter['error'];
  readonly attempts: number;
  /** ms since the epoch. */
  readonly failedAt: number;
  /** Why it was dead-lettered, its priority, attempt history and replays. */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/**
 * The jobs admin routes for `@vigil/http`'s monitoring router, named `'@vigil/jobs'`:
 *
 * - `GET /jobs`: backend, counts, dead letters stored, and per type its stats (`JobsSummary`).
 * - `GET /jobs/dead-letters?type=&from=&to=&limit=&cursor=`: a page `{ letters, cursor }`,
 *   oldest first; `cursor` is `null` on the last page. Times are ms since the epoch or ISO 8601.
 * - `GET /jobs/dead-letters/:id`: one letter.
 * - `POST /jobs/dead-letters/:id/replay`: runs the letter's job again → `{ jobId }`.
 * - `POST /jobs/dead-letters/replay` with an optional JSON filter `{ type, from, to }` →
 *   `{ replayed }`.
 * - `DELETE /jobs/dead-letters?type=&from=&to=`: removes the letters the filter takes (all
 *   without one) → `{ purged }`.
 * - `GET /scheduler`: `{ leader, schedules }`, each schedule's status (`scheduler.status()`).
 * - `POST /scheduler/start`, `POST /scheduler/stop`: start or stop this instance's scheduler.
 * - `POST /scheduler/:name/run`: queues a schedule's job now → `{ jobId }`; unknown 404.
 *
 * The `POST` and `DELETE` routes change state: the router needs its token for them. Bad query
 * values and bodies answer 400 `HTTP_BAD_REQUEST`, an unknown letter 404 `DEAD_LETTER_NOT_FOUND`,
 * a letter of a type the runner lacks 409 `UNKNOWN_JOB_TYPE`, a closed runner 503
 * `RUNNER_CLOSED`, with the body `{ code, message }` the router answers its own errors with.
 *
 * ```ts
 * createMonitoringRouter({ registry, token, routes: [jobsRoutes(jobs)] });
 * ```
 */
export function jobsRoutes(runner: JobsRoutesSource): JobsRouteProvider {
  const letters = runner.deadLetters;
  return {
    name: '@vigil/jobs',
    routes: [
      route(runner, 'GET', '/jobs', async () => ({ body: await summary(runner) })),
      route(runner, 'GET', '/jobs/dead-letters', async (request) => {
        const { filter, page } = pageQuery(request.query);
        const listed = await letters.list(filter, page);
        return { body: { letters: listed.letters.map(view), cursor: listed.cursor ?? null } };
      }),
      route(runner, 'GET', '/jobs/dead-letters/:id', async (request) => {
        const id = request.params['id'] as string;
        const letter = await letters.get(id);
        if (letter === undefined) throw new DeadLetterNotFoundError(id);
        return { body: view(letter) };
      }),
      route(runner, 'POST', '/jobs/dead-letters/replay', async (request) => {
        const filter = filterBody(await request.json(), request.query);
        return { body: { replayed: await letters.replayAll(filter) } };
      }),
      route(runner, 'POST', '/jobs/dead-letters/:id/replay', async (request) => {
        return { body: { jobId: await letters.replay(request.params['id'] as string) } };
      }),
      route(runner, 'DELETE', '/jobs/dead-letters', async (request) => {
        return { body: { purged: await letters.purge(filterQuery(request.query)) } };
      }),
      route(runner, 'GET', '/scheduler', async () => ({
        body: { leader: runner.scheduler.leader, schedules: runner.scheduler.status() },
      })),
      route(runner, 'POST', '/scheduler/start', async () => {
        runner.scheduler.start();
        return { body: { started: true } };
      }),
      route(runner, 'POST', '/scheduler/stop', async () => {
        await runner.scheduler.stop();
        return { body: { stopped: true } };
      }),
      route(runner, 'POST', '/scheduler/:name/run', async (request) => {
        const name = request.params['name'] as string;
        const handle = runner.scheduler.runNow(name);
        if (handle === undefined) {
          throw new RouteRefusal(
            404,
            'HTTP_NOT_FOUND',
            `no schedule named ${JSON.stringify(name)}`,
          );
        }
        return { body: { jobId: handle.id ?? null } };
      }),
    ],
  };
}

async function summary(runner: JobsRoutesSource): Promise<JobsSummary> {
  const types: Record<string, JobTypeSummary> = {};
  for (const [type, s] of Object.entries(runner.stats())) {
    types[type] = {
      ...s,
      timeout: s.timeout ?? null,
      breaker: s.breaker ?? null,
      p50: s.p50 ?? null,
      p95: s.p95 ?? null,
      lastError: s.lastError ?? null,
    };
  }
  const letters = runner.deadLetters;
  return {
    backend: runner.backend,
    counts: runner.counts,
    deadLetters: { stored: await letters.count(), dropped: letters.dropped() },
    types,
  };
}

function view(letter: DeadLetter): DeadLetterView {
  return {
    id: letter.id,
    type: letter.queue,
    payload: letter.payload,
    error: letter.error,
    attempts: letter.attempts,
    failedAt: letter.failedAt,
    metadata: letter.metadata ?? {},
  };
}

/** A route whose refusals are answered as `@vigil/http` answers its own errors. */
function route(
  runner: JobsRoutesSource,
  method: JobsRouteMethod,
  path: string,
  handler: (request: JobsRouteRequest) => Promise<JobsRouteReply>,
): JobsRoute {
  return {
    method,
    path,
    changesState: method !== 'GET',
    handler: async (request) => {
      try {
        // A closed runner's own store is closed too: answer that, not a store failure.
        if (runner.closed) throw new RunnerClosedError();
        return await handler(request);
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal === undefined) throw error;
        return { status: refusal.status, body: { code: refusal.code, message: refusal.message } };
      }
    },
  };
}

/**
 * The 4xx/503 answer to `error`, or undefined for an error the router answers itself (its own
 * `HttpError`s, such as a body that is not JSON) or reports as a 500.
 */
function refusalOf(error: unknown): RouteRefusal | undefined {
  if (error instanceof RouteRefusal) return error;
  if (error instanceof DeadLetterNotFoundError)
    return new RouteRefusal(404, error.code, error.message);
  if (error instanceof UnknownJobTypeError) return new RouteRefusal(409, error.code, error.message);
  if (error instanceof RunnerClosedError) return new RouteRefusal(503, error.code, error.message);
  // The store refused an argument: a cursor not from list(), an id past 512 characters.
  if (error instanceof VigilError && error.code === 'STORE_INVALID_ARGUMENT') {
    return new RouteRefusal(400, 'HTTP_BAD_REQUEST', error.message);
  }
  return undefined;
}
