import { runInThisContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as cache from '../src/index.js';

type Form = 'standard' | 'legacy';

// A service as users write it, compiled by TypeScript in each decorator form and run.
const SOURCE = `
import { Cache, cached } from '@vigil/cache';
export const scores = new Cache<number>({ name: 'scores', max: 100 });
export const calls: string[] = [];
export class Scores {
  constructor(private readonly season: number) {}
  @cached(scores, { key: (user: string) => 'score:' + user })
  async of(user: string): Promise<number> {
    calls.push(user);
    return user.length * this.season;
  }
  @cached(scores)
  total(a: number, b: number): number {
    calls.push('total');
    return a + b;
  }
}
`;

function load(form: Form): {
  scores: cache.Cache<number>;
  calls: string[];
  Scores: new (
    season: number,
  ) => {
    of(user: string): Promise<number>;
    total(a: number, b: number): Promise<number>;
  };
} {
  const output = ts.transpileModule(SOURCE, {
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      experimentalDecorators: form === 'legacy',
    },
  }).outputText;
  const module = { exports: {} as Record<string, unknown> };
  const run = runInThisContext(`(function (require, module, exports) {${output}\n})`) as (
    require: (id: string) => unknown,
    module: { exports: Record<string, unknown> },
    exports: Record<string, unknown>,
  ) => void;
  run(
    (id) => {
      if (id === '@vigil/cache') return cache;
      throw new Error(`the fixture imports ${id}`);
    },
    module,
    module.exports,
  );
  return module.exports as ReturnType<typeof load>;
}

describe.each(['standard', 'legacy'] as const)('@cached, %s decorators', (form) => {
  it('caches a method’s results under its key, with `this` intact', async () => {
    const { scores, calls, Scores } = load(form);
    const service = new Scores(10);
    expect(await Promise.all([service.of('ana'), service.of('ana'), service.of('bo')])).toEqual([
      30, 30, 20,
    ]);
    expect(await service.of('ana')).toBe(30);
    expect(calls).toEqual(['ana', 'bo']);
    expect(scores.peek('score:ana')).toBe(30);
    expect(await service.total(1, 2)).toBe(3);
    expect(await service.total(1, 2)).toBe(3);
    expect(scores.peek('total:[1,2]')).toBe(3);
    expect(calls.filter((c) => c === 'total')).toHaveLength(1);
  });
});

describe('@cached on what is not a method', () => {
  it('is refused with a clear error', () => {
    const scores = new cache.Cache<number>({ name: 's', max: 1 });
    const decorator = cache.cached(scores);
    expect(() => decorator({}, 'field', undefined as unknown as PropertyDescriptor)).toThrow(
      /decorates methods/,
    );
  });
});
