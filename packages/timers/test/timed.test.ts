import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { Registry } from '@vigil/core';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as timers from '../src/index.js';
import type { Latency, makeService, usingBlock } from './fixtures/timed-service.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'timed-service.ts');

type Form = 'standard' | 'legacy';
const FORMS: Form[] = ['standard', 'legacy'];

interface FixtureModule {
  makeService: typeof makeService;
  usingBlock: typeof usingBlock;
}

/** Compiles `source` with the TypeScript compiler in one decorator form. */
function transpile(source: string, form: Form): string {
  return ts.transpileModule(source, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      experimentalDecorators: form === 'legacy',
    },
  }).outputText;
}

/** Compiles `source` in one decorator form and runs it. */
function compile<T>(source: string, form: Form): T {
  const outputText = transpile(source, form);
  const module = { exports: {} as T };
  const requireShim = (id: string): unknown => {
    if (id === '../../src/index.js' || id === '@vigil/timers') return timers;
    throw new Error(`the fixture imports ${id}`);
  };
  const run = runInThisContext(`(function (require, module, exports) {${outputText}\n})`) as (
    require: (id: string) => unknown,
    module: { exports: T },
    exports: T,
  ) => void;
  run(requireShim, module, module.exports);
  return module.exports;
}

/** Type-checks the fixture with the package's compiler options in one decorator form. */
function diagnostics(form: Form): string[] {
  const configPath = join(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const program = ts.createProgram([FIXTURE], {
    ...parsed.options,
    noEmit: true,
    experimentalDecorators: form === 'legacy',
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function setup(form: Form) {
  const registry = new Registry({ onInvalid: 'throw' });
  const latency: Latency = registry.histogram({
    name: 'method_duration_seconds',
    help: 'Methods.',
    labelNames: ['method', 'result'],
  });
  const fixture = compile<FixtureModule>(readFileSync(FIXTURE, 'utf8'), form);
  const service = fixture.makeService(latency, (ms) => vi.advanceTimersByTime(ms));
  const recorded = (method: string, result: 'success' | 'error') =>
    latency.get({ method, result }) ?? { count: 0, sum: 0 };
  return { registry, latency, fixture, service, recorded };
}

describe.each(FORMS)('@timed as a %s decorator', (form) => {
  it('type-checks', { timeout: 60_000 }, () => {
    expect(diagnostics(form)).toEqual([]);
  });

  it('is compiled by TypeScript in that form', () => {
    const output = transpile(readFileSync(FIXTURE, 'utf8'), form);
    // TypeScript's helper for standard decorators is __esDecorate; for legacy ones, __decorate.
    expect(output.includes('__esDecorate(')).toBe(form === 'standard');
    expect(output.includes('__decorate(')).toBe(form === 'legacy');
  });

  it('times a sync method, keeping this, arguments, return value and name', () => {
    const { service, recorded } = setup(form);
    expect(service.add(2, 3)).toBe(5);
    expect(service.calls).toBe(1);
    expect(service.add.name).toBe('add');
    expect(recorded('sync', 'success')).toMatchObject({ count: 1, sum: 0.025 });
  });

  it('records result="error" when a sync method throws, and rethrows', () => {
    const { service, recorded } = setup(form);
    expect(() => service.explode()).toThrow('sync failure');
    expect(recorded('throws', 'error')).toMatchObject({ count: 1, sum: 0.005 });
  });

  it('times an async method until its promise settles', async () => {
    const { service, recorded } = setup(form);
    const pending = service.later(200);
    await vi.advanceTimersByTimeAsync(200);
    await expect(pending).resolves.toBe('later from Service');
    expect(recorded('async', 'success')).toMatchObject({ count: 1, sum: 0.2 });
  });

  it('records result="error" when an async method rejects, and rejects with the same error', async () => {
    const { service, recorded } = setup(form);
    const pending = service.reject(30).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(30);
    expect(await pending).toMatchObject({ message: 'async failure' });
    expect(recorded('rejects', 'error')).toMatchObject({ count: 1, sum: 0.03 });
  });

  it('times a generator from its first next() until it completes', () => {
    const { service, recorded } = setup(form);
    const generator = service.count(2);
    vi.advanceTimersByTime(1000); // not started yet: not timed
    expect(generator.next()).toEqual({ value: 0, done: false });
    vi.advanceTimersByTime(15);
    expect(generator.next()).toEqual({ value: 1, done: false });
    expect(recorded('generator', 'success').count).toBe(0);
    expect(generator.next()).toEqual({ value: 'counted', done: true });
    expect(recorded('generator', 'success')).toMatchObject({ count: 1, sum: 0.015 });
  });

  it('records a generator closed early (break) as a success, and one that throws as an error', () => {
    const { service, recorded } = setup(form);
    for (const value of service.count(10)) if (value === 1) break;
    expect(recorded('generator', 'success').count).toBe(1);
    const generator = service.count(3);
    generator.next();
    expect(() => generator.throw(new Error('consumer gave up'))).toThrow('consumer gave up');
    expect(recorded('generator', 'error').count).toBe(1);
  });

  it('times an async generator until it completes', async () => {
    const { service, recorded } = setup(form);
    const collected = (async () => {
      const values: number[] = [];
      for await (const value of service.stream(3)) values.push(value);
      return values;
    })();
    await vi.advanceTimersByTimeAsync(30);
    expect(await collected).toEqual([0, 1, 2]);
    expect(recorded('asyncGenerator', 'success')).toMatchObject({ count: 1, sum: 0.03 });
  });

  it('creates no series until the first call', async () => {
    const { registry } = setup(form);
    expect(await registry.metrics()).not.toContain('method_duration_seconds_count');
  });

  it('records on leaving a `using` block as TypeScript compiles it', () => {
    const { latency, fixture } = setup(form);
    fixture.usingBlock(latency, (ms) => vi.advanceTimersByTime(ms));
    expect(latency.get({ method: 'using', result: 'success' })).toMatchObject({
      count: 1,
      sum: 0.007,
    });
  });

  it('throws TIMERS_INVALID_DECORATOR on a getter or a field, when the class is defined', () => {
    const h = new Registry().histogram({ name: 'h_seconds', help: 'H.' });
    const getter = `const { timed } = require('@vigil/timers');
      exports.define = (h) => { class A { @timed(h) get value() { return 1; } } return A; };`;
    const field = `const { timed } = require('@vigil/timers');
      exports.define = (h) => { class A { @timed(h) value = 1; } return A; };`;
    for (const source of [getter, field]) {
      const { define } = compile<{ define: (h: unknown) => unknown }>(source, form);
      const error = (() => {
        try {
          define(h);
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(timers.TimersError);
      expect(error).toMatchObject({ code: 'TIMERS_INVALID_DECORATOR' });
    }
  });
});
