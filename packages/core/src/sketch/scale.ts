import { ConfigurationError } from '../errors.js';

/** The scale sketches use unless told otherwise: relative error ≈ 0.54 %, within 1 %. */
export const DEFAULT_SKETCH_SCALE = 6;

/** The finest scale: 1024 buckets per doubling, relative error ≈ 0.034 %. */
export const MAX_SCALE = 10;

export function isScale(scale: unknown): scale is number {
  return Number.isInteger(scale) && (scale as number) >= 0 && (scale as number) <= MAX_SCALE;
}

/** @throws ConfigurationError `INVALID_OPTION` unless `scale` is an integer from 0 to 10. */
export function checkScale(scale: number): void {
  if (!isScale(scale)) {
    throw new ConfigurationError(
      'INVALID_OPTION',
      `scale should be an integer from 0 to ${MAX_SCALE} (${DEFAULT_SKETCH_SCALE} keeps the relative error under 1 %), got ${typeof scale === 'number' ? scale : typeof scale}`,
    );
  }
}
