import type { Job } from './job.js';

/**
 * @internal Jobs waiting for their `runAt` (a delay, a retry backoff): a binary min-heap on
 * `runAt`, then `seq`, so the runner keeps one timer, for the earliest.
 */
export class DelayHeap {
  readonly #jobs: Job[] = [];

  get size(): number {
    return this.#jobs.length;
  }

  peek(): Job | undefined {
    return this.#jobs[0];
  }

  push(job: Job): void {
    job.heapIndex = this.#jobs.length;
    this.#jobs.push(job);
    this.#up(job.heapIndex);
  }

  pop(): Job | undefined {
    const jobs = this.#jobs;
    const top = jobs[0];
    if (top === undefined) return undefined;
    const last = jobs.pop() as Job;
    if (last !== top) {
      jobs[0] = last;
      last.heapIndex = 0;
      this.#down(0);
    }
    top.heapIndex = -1;
    return top;
  }

  /** Takes every job; the heap is empty after. */
  drain(): Job[] {
    const jobs = this.#jobs.splice(0);
    for (const job of jobs) job.heapIndex = -1;
    return jobs;
  }

  #before(a: Job, b: Job): boolean {
    return a.runAt < b.runAt || (a.runAt === b.runAt && a.seq < b.seq);
  }

  #up(index: number): void {
    const jobs = this.#jobs;
    const job = jobs[index] as Job;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = jobs[parentIndex] as Job;
      if (!this.#before(job, parent)) break;
      jobs[index] = parent;
      parent.heapIndex = index;
      index = parentIndex;
    }
    jobs[index] = job;
    job.heapIndex = index;
  }

  #down(index: number): void {
    const jobs = this.#jobs;
    const length = jobs.length;
    const job = jobs[index] as Job;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child =
        right < length && this.#before(jobs[right] as Job, jobs[left] as Job) ? right : left;
      const candidate = jobs[child] as Job;
      if (!this.#before(candidate, job)) break;
      jobs[index] = candidate;
      candidate.heapIndex = index;
      index = child;
    }
    jobs[index] = job;
    job.heapIndex = index;
  }
}
