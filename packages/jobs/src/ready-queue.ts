import type { Job } from './job.js';

/** One priority's jobs, oldest first: a linked list through `job.next`. */
interface Bucket {
  readonly priority: number;
  head: Job | undefined;
  tail: Job | undefined;
}

/**
 * @internal One type's jobs that may start now, by priority, FIFO within a priority. Aging:
 * a job's effective priority is its priority plus one for every `aging` ms it has waited, so
 * a low job waiting long enough overtakes newer high ones. Each bucket's head is its oldest
 * job, and so its most aged: comparing heads finds the next job in O(priorities in use).
 */
export class ReadyQueue {
  size = 0;
  readonly #buckets: Bucket[] = [];

  push(job: Job): void {
    const bucket = this.#bucket(job.priority);
    job.next = undefined;
    if (bucket.tail === undefined) bucket.head = job;
    else bucket.tail.next = job;
    bucket.tail = job;
    this.size++;
  }

  /** Puts a job back at the front of its priority (it was taken, then could not start). */
  unshift(job: Job): void {
    const bucket = this.#bucket(job.priority);
    job.next = bucket.head;
    bucket.head = job;
    if (bucket.tail === undefined) bucket.tail = job;
    this.size++;
  }

  /** The job that should start next, without taking it; undefined when empty. */
  peek(now: number, aging: number): Job | undefined {
    const buckets = this.#buckets;
    if (buckets.length === 1) return buckets[0]?.head;
    let best: Job | undefined;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (const bucket of buckets) {
      const head = bucket.head;
      if (head === undefined) continue;
      const score = effectivePriority(head, now, aging);
      if (score > bestScore || (score === bestScore && best !== undefined && head.seq < best.seq)) {
        best = head;
        bestScore = score;
      }
    }
    return best;
  }

  /** Takes `job`, which `peek` answered (the head of its bucket). */
  take(job: Job): void {
    const bucket = this.#bucket(job.priority);
    bucket.head = job.next;
    if (bucket.head === undefined) bucket.tail = undefined;
    job.next = undefined;
    this.size--;
  }

  /** Takes every job, oldest priority bucket order; the queue is empty after. */
  drain(): Job[] {
    const jobs: Job[] = [];
    for (const bucket of this.#buckets) {
      for (let job = bucket.head; job !== undefined; job = job.next) jobs.push(job);
      bucket.head = undefined;
      bucket.tail = undefined;
    }
    this.size = 0;
    return jobs;
  }

  #bucket(priority: number): Bucket {
    const buckets = this.#buckets;
    for (const bucket of buckets) if (bucket.priority === priority) return bucket;
    const bucket: Bucket = { priority, head: undefined, tail: undefined };
    buckets.push(bucket);
    return bucket;
  }
}

/** A queued job's priority with its aging: +1 per `aging` ms waited. */
export function effectivePriority(job: Job, now: number, aging: number): number {
  const waited = now - job.readyAt;
  return waited > 0 ? job.priority + Math.floor(waited / aging) : job.priority;
}
