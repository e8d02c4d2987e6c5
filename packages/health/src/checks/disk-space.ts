import { statfs } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeValue, invalidOption, optionalNumber, optionalString } from '@vigil/core/options';
import type { CheckOptions, CheckOutcome, HealthCheck } from '../health-check.js';
import { builtInCheck, mib } from './built-in-check.js';

/** Options of `checks.diskSpace()`. Without any threshold: fail below 5 %, warn below 10 %. */
export interface DiskSpaceCheckOptions extends CheckOptions {
  /** A path on the file system to watch. Default: the working directory at construction. */
  path?: string | undefined;
  /** Fail when fewer bytes are free (available to this process). */
  minFreeBytes?: number | undefined;
  /** Fail when a smaller share of the file system is free, in [0, 1]. */
  minFreeRatio?: number | undefined;
  /** Warn when fewer bytes are free. */
  warnFreeBytes?: number | undefined;
  /** Warn when a smaller share is free, in [0, 1]. */
  warnFreeRatio?: number | undefined;
}

const OWNER = 'checks.diskSpace';

/**
 * Free disk space (`fs.statfs`: blocks available to this process) against minimums.
 * Non-critical and quick by default; keyed `disk:free`, observed in `bytes`.
 */
export function diskSpace(options: DiskSpaceCheckOptions = {}): HealthCheck {
  const path = resolve(optionalString(OWNER, 'path', options.path) ?? process.cwd());
  let minFreeBytes = optionalNumber(OWNER, 'minFreeBytes', options.minFreeBytes, { min: 0 });
  let minFreeRatio = ratio('minFreeRatio', options.minFreeRatio);
  const warnFreeBytes = optionalNumber(OWNER, 'warnFreeBytes', options.warnFreeBytes, { min: 0 });
  let warnFreeRatio = ratio('warnFreeRatio', options.warnFreeRatio);
  if (
    minFreeBytes === undefined &&
    minFreeRatio === undefined &&
    warnFreeBytes === undefined &&
    warnFreeRatio === undefined
  ) {
    minFreeRatio = 0.05;
    warnFreeRatio = 0.1;
  }
  minFreeBytes ??= 0;
  const run = async (): Promise<CheckOutcome> => {
    const stats = await statfs(path);
    const free = stats.bavail * stats.bsize;
    const total = stats.blocks * stats.bsize;
    const share = stats.blocks > 0 ? stats.bavail / stats.blocks : 0;
    const reading = {
      observedValue: free,
      observedUnit: 'bytes',
      details: { path, totalBytes: total, freeRatio: Math.round(share * 10_000) / 10_000 },
    };
    const at = `${mib(free)} free of ${mib(total)} (${Math.round(share * 1000) / 10}%) on ${path}`;
    if (free < minFreeBytes || (minFreeRatio !== undefined && share < minFreeRatio)) {
      return {
        status: 'fail',
        ...reading,
        output: `${at}, below ${limitText(minFreeBytes, minFreeRatio)}`,
      };
    }
    if (
      (warnFreeBytes !== undefined && free < warnFreeBytes) ||
      (warnFreeRatio !== undefined && share < warnFreeRatio)
    ) {
      return {
        status: 'warn',
        ...reading,
        output: `${at}, below ${limitText(warnFreeBytes, warnFreeRatio)}`,
      };
    }
    return { status: 'pass', ...reading };
  };
  return builtInCheck(
    OWNER,
    options,
    ['path', 'minFreeBytes', 'minFreeRatio', 'warnFreeBytes', 'warnFreeRatio'],
    { name: 'disk', measurement: 'free', componentType: 'system', critical: false, quick: true },
    { run },
  );
}

function ratio(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalidOption(
      OWNER,
      `${field} should be a share in [0, 1] such as 0.1, got ${describeValue(value)}`,
    );
  }
  return value;
}

function limitText(bytes: number | undefined, share: number | undefined): string {
  const parts: string[] = [];
  if (bytes !== undefined && bytes > 0) parts.push(mib(bytes));
  if (share !== undefined) parts.push(`${Math.round(share * 1000) / 10}%`);
  return parts.join(' or ');
}
