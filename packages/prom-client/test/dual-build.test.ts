import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// Loads the built package the way users do: `require` gets dist/index.cjs, `import` gets
// dist/index.js. Run after the build.
const require = createRequire(import.meta.url);
type Facade = typeof import('../src/index.js');

describe('the built package', () => {
  it("require() answers prom-client's module.exports shape, and import() the same names", async () => {
    const cjs = require('@vigil/prom-client') as Facade;
    const esm = (await import('@vigil/prom-client')) as unknown as Facade;
    const promClient = require('prom-client') as object;
    expect(Object.keys(cjs).sort()).toEqual(Object.keys(promClient).sort());
    // The ES module adds its default export (the module itself).
    expect(Object.keys(esm).sort()).toEqual([...Object.keys(cjs), 'default'].sort());
  });

  it("`import client from 'prom-client'` works as with prom-client, compiled or not", async () => {
    const cjs = require('@vigil/prom-client') as Facade & {
      __esModule?: boolean;
      default?: unknown;
    };
    const esm = (await import('@vigil/prom-client')) as unknown as { default: Facade };
    expect(esm.default.register).toBe(cjs.register);
    expect(esm.default.Counter).toBeTypeOf('function');
    // TypeScript's esModuleInterop output: __importDefault(require('prom-client')).default
    const importDefault = (mod: { __esModule?: boolean; default?: unknown }) =>
      mod?.__esModule ? mod : { default: mod };
    expect((importDefault(cjs).default as Facade).register).toBe(cjs.register);
  });

  it('both builds share one global registry (a Symbol.for global), as one prom-client would', async () => {
    const cjs = require('@vigil/prom-client') as Facade;
    const esm = (await import('@vigil/prom-client')) as unknown as Facade;
    expect(esm.register).toBe(cjs.register);
    cjs.register.clear();
    new esm.Counter({ name: 'from_esm_total', help: 'Made through import.' }).inc();
    new cjs.Gauge({ name: 'from_cjs', help: 'Made through require.' }).set(2);
    const text = await esm.register.metrics();
    expect(text).toContain('from_esm_total 1');
    expect(text).toContain('from_cjs 2');
    expect(cjs.register instanceof esm.Registry).toBe(true);
    expect(new esm.Registry() instanceof cjs.Registry).toBe(true);
    expect(esm.Registry.globalRegistry).toBe(cjs.register);
    cjs.register.clear();
  });

  it('contentType follows the global registry in both builds', async () => {
    const cjs = require('@vigil/prom-client') as Facade;
    const esm = (await import('@vigil/prom-client')) as unknown as Facade;
    expect(cjs.contentType).toBe(cjs.prometheusContentType);
    (cjs.register as InstanceType<Facade['Registry']>).setContentType(
      cjs.openMetricsContentType as never,
    );
    expect(cjs.contentType).toBe(cjs.openMetricsContentType);
    expect(esm.contentType).toBe(esm.openMetricsContentType);
    cjs.register.setContentType(cjs.prometheusContentType);
    expect(esm.contentType).toBe(esm.prometheusContentType);
  });
});
