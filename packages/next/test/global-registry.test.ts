import { Registry, VigilError } from '@vigil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { getRegistry, setRegistry } from '../src/index.js';
import { resetGlobals } from './support/reset.js';

const KEY = Symbol.for('vigil.next.registry');
const slots = globalThis as unknown as Record<symbol, unknown>;

afterEach(() => {
  resetGlobals();
});

describe('getRegistry / setRegistry', () => {
  it('answers the registry set, from globalThis under Symbol.for("vigil.next.registry")', () => {
    const registry = new Registry();
    expect(setRegistry(registry)).toBe(registry);
    expect(getRegistry()).toBe(registry);
    expect(slots[KEY]).toBe(registry);
  });

  it('sees a registry another bundle put on globalThis (Next.js bundles each route apart)', () => {
    const registry = new Registry();
    slots[KEY] = registry;
    expect(getRegistry()).toBe(registry);
  });

  it('creates one default registry on first use when none was set, and keeps it', () => {
    delete slots[KEY];
    const first = getRegistry();
    expect(first).toBeInstanceOf(Registry);
    expect(getRegistry()).toBe(first);
    expect(slots[KEY]).toBe(first);
  });

  it('throws INVALID_OPTION for something that is not a Registry', () => {
    let thrown: unknown;
    try {
      setRegistry({ metrics: () => '' } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(VigilError);
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION' });
    expect((thrown as Error).message).toBe(
      'setRegistry: registry should be a Registry from @vigil/core, such as new Registry(), got {}',
    );
  });
});
