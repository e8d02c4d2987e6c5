import type { ExemplarValue } from './types.js';

/** prom-client's `Exemplar`: a label set, a value and a timestamp in seconds. */
export class Exemplar implements ExemplarValue {
  labelSet: Record<string, unknown>;
  value: number;
  timestamp?: number;

  constructor(labelSet: Record<string, unknown> = {}, value: number | null = null) {
    this.labelSet = labelSet;
    this.value = value as number;
  }

  /** Throws prom-client's `RangeError` for a label set longer than OpenMetrics allows. */
  validateExemplarLabelSet(labelSet: Record<string, unknown>): void {
    // The length of prom-client's `${name}${value}` concatenation, without building it.
    let length = 0;
    for (const name of Object.keys(labelSet)) length += name.length + `${labelSet[name]}`.length;
    if (length > 128) {
      throw new RangeError('Label set size must be smaller than 128 UTF-8 chars');
    }
  }

  /** Records an observation into this exemplar. */
  update(labelSet: Record<string, unknown>, value: number): void {
    this.validateExemplarLabelSet(labelSet);
    this.labelSet = labelSet;
    this.value = value;
    this.timestamp = Date.now() / 1000;
  }
}
