import { VigilError } from '@vigil/core';
import { expect } from 'vitest';
import type { StoreErrorCode } from '../errors.js';
import type { ContractSubject } from './contract-subject.js';

/** What each part of the contract kit gets: the current subject and a way to declare a test. */
export interface ContractContext {
  /** The subject of the running test (fresh from `setup`). */
  subject(): ContractSubject;
  /** `it` with the kit's timeout. */
  test(title: string, body: () => Promise<void>): void;
}

/** Expects `call` to fail with a `VigilError` (of any copy of the package) of `code`. */
export async function expectStoreError(
  call: () => Promise<unknown>,
  code: StoreErrorCode,
): Promise<void> {
  let error: unknown;
  let settled = false;
  try {
    await call();
    settled = true;
  } catch (caught) {
    error = caught;
  }
  expect(settled, `expected a rejection with ${code}, but the call succeeded`).toBe(false);
  expect(error, `expected a VigilError with code ${code}, got ${String(error)}`).toBeInstanceOf(
    VigilError,
  );
  expect((error as VigilError).code, String(error)).toBe(code);
}

/** Runs `count` calls at once, alternating between the subject's two clients. */
export function race<T>(
  subject: ContractSubject,
  count: number,
  call: (store: ContractSubject['store'], index: number) => Promise<T>,
): Promise<T[]> {
  return Promise.all(
    Array.from({ length: count }, (_, index) =>
      call(index % 2 === 0 ? subject.store : subject.second, index),
    ),
  );
}
