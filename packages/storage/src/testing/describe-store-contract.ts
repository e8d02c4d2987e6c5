import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { argumentsContract } from './arguments-contract.js';
import { concurrencyContract } from './concurrency-contract.js';
import type { ContractContext } from './contract-context.js';
import type { ContractOptions, ContractSubject } from './contract-subject.js';
import { corruptionContract } from './corruption-contract.js';
import { deadLetterContract } from './dead-letter-contract.js';
import { idempotencyContract } from './idempotency-contract.js';
import { leaseContract } from './lease-contract.js';
import { manualClock } from './manual-clock.js';
import { recordContract } from './record-contract.js';
import { timeSeriesContract } from './time-series-contract.js';

/**
 * The conformance suite every `Store` adapter runs, in one call from a vitest test file:
 *
 * ```ts
 * describeStoreContract('MyStore', {
 *   setup: async (clock) => {
 *     const store = new MyStore({ ...CONTRACT_STORE_OPTIONS, clock, url });
 *     const second = new MyStore({ ...CONTRACT_STORE_OPTIONS, clock, url });
 *     return { store, second, clock, corrupt: myCorrupter(url),
 *       cleanup: async () => { await store.close(); await second.close(); await dropData(url); } };
 *   },
 * });
 * ```
 *
 * It covers every method of every store and its documented semantics, TTL expiry driven by the
 * manual clock, races between the two clients, data corrupted behind the store's back
 * (`STORE_CORRUPT`) and bad arguments (`STORE_INVALID_ARGUMENT`).
 */
export function describeStoreContract(name: string, options: ContractOptions): void {
  describe(`${name} (store contract)`, () => {
    let current: ContractSubject | undefined;

    beforeEach(async () => {
      current = await options.setup(manualClock());
    }, options.timeout);

    afterEach(async () => {
      const subject = current;
      current = undefined;
      await subject?.cleanup();
    }, options.timeout);

    const context: ContractContext = {
      subject() {
        if (current === undefined) throw new Error('the contract subject was not set up');
        return current;
      },
      test(title, body) {
        it(title, body, options.timeout);
      },
    };

    context.test(
      'store: exposes the five stores; close() can be called more than once',
      async () => {
        const { store, second } = context.subject();
        for (const part of [
          'timeSeries',
          'records',
          'deadLetters',
          'idempotency',
          'leases',
        ] as const) {
          expect(store[part], part).toBeTypeOf('object');
        }
        expect(store.deadLetters.dropped()).toBe(0);
        expect(store[Symbol.asyncDispose]).toBeTypeOf('function');
        await store.close();
        await store.close();
        if (second !== store) await second[Symbol.asyncDispose]();
      },
    );

    recordContract(context);
    deadLetterContract(context);
    idempotencyContract(context);
    leaseContract(context);
    timeSeriesContract(context);
    concurrencyContract(context);
    corruptionContract(context);
    argumentsContract(context);
  });
}
