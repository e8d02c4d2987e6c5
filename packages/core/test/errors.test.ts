import { caught } from '@vigil/test-support';
import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  InvalidObservationError,
  MetricConflictError,
  Registry,
  VigilError,
} from '../src/index.js';

describe('VigilError', () => {
  it('carries a code, a message and a cause', () => {
    const cause = new Error('root');
    const error = new VigilError('SOMETHING_WRONG', 'what was wrong', { cause });
    expect(error.code).toBe('SOMETHING_WRONG');
    expect(error.message).toBe('what was wrong');
    expect(error.name).toBe('VigilError');
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
    expect(error instanceof VigilError).toBe(true);
  });

  it('is the instanceof target of every subclass', () => {
    const errors = [
      new ConfigurationError('INVALID_OPTION', 'bad option'),
      new InvalidObservationError('INVALID_VALUE', 'jobs_total', 'bad value'),
      new MetricConflictError('two definitions'),
    ];
    for (const error of errors) {
      expect(error instanceof VigilError).toBe(true);
      expect(error instanceof Error).toBe(true);
    }
  });

  it('recognises an error branded by a second installed copy of the package', () => {
    // A VigilError from another copy is a different class with the same global brand.
    const foreign = Object.assign(new Error('from the other copy'), { code: 'INVALID_OPTION' });
    Object.defineProperty(foreign, Symbol.for('vigil.error'), { value: true });
    expect(foreign instanceof VigilError).toBe(true);
  });

  it('recognises each subclass branded by a second installed copy, and only that subclass', () => {
    const foreign = new Error('from the other copy');
    Object.defineProperty(foreign, Symbol.for('vigil.error.brands'), {
      value: ['vigil.core.MetricConflictError', 'vigil.error'],
    });
    expect(foreign instanceof MetricConflictError).toBe(true);
    expect(foreign instanceof VigilError).toBe(true);
    expect(foreign instanceof ConfigurationError).toBe(false);
  });

  it('is not fooled by plain errors or non-objects', () => {
    expect(new Error('plain') instanceof VigilError).toBe(false);
    expect(
      Object.assign(new Error('coded'), { code: 'INVALID_OPTION' }) instanceof VigilError,
    ).toBe(false);
    expect((null as unknown) instanceof VigilError).toBe(false);
    expect(('INVALID_OPTION' as unknown) instanceof VigilError).toBe(false);
    expect((undefined as unknown) instanceof VigilError).toBe(false);
  });

  it('keeps prototype checks for subclasses', () => {
    const configuration = new ConfigurationError('INVALID_OPTION', 'bad option');
    expect(configuration instanceof ConfigurationError).toBe(true);
    expect(configuration instanceof InvalidObservationError).toBe(false);
    expect(configuration instanceof MetricConflictError).toBe(false);

    const base = new VigilError('INVALID_OPTION', 'base');
    expect(base instanceof ConfigurationError).toBe(false);

    // The brand alone makes a VigilError, not one of its subclasses.
    const foreign = new Error('from the other copy');
    Object.defineProperty(foreign, Symbol.for('vigil.error'), { value: true });
    expect(foreign instanceof ConfigurationError).toBe(false);
  });
});

describe('the subclasses', () => {
  it('ConfigurationError has its name and the given code', () => {
    const error = new ConfigurationError('INVALID_DURATION', 'bad duration');
    expect(error.name).toBe('ConfigurationError');
    expect(error.code).toBe('INVALID_DURATION');
  });

  it('InvalidObservationError names the metric', () => {
    const error = new InvalidObservationError('LABELS_MISMATCH', 'jobs_total', 'missing label');
    expect(error.name).toBe('InvalidObservationError');
    expect(error.code).toBe('LABELS_MISMATCH');
    expect(error.metric).toBe('jobs_total');
  });

  it('MetricConflictError always has the code METRIC_CONFLICT', () => {
    const error = new MetricConflictError('two definitions');
    expect(error.name).toBe('MetricConflictError');
    expect(error.code).toBe('METRIC_CONFLICT');
  });

  it('are what the registry throws', () => {
    const registry = new Registry({ onInvalid: 'throw' });
    const counter = registry.counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(caught(() => counter.inc(-1))).toBeInstanceOf(InvalidObservationError);
    expect(caught(() => registry.gauge({ name: 'jobs_total', help: 'Jobs.' }))).toBeInstanceOf(
      MetricConflictError,
    );
    expect(caught(() => registry.gauge({ name: 'bad-name', help: 'x' }))).toBeInstanceOf(
      ConfigurationError,
    );
  });
});
