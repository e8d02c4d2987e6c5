import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM and CJS with their `.d.ts` and `.d.cts`, source maps, for
 * Node 20. A package's `tsup.config.ts` calls it with its entries (default `src/index.ts`) and
 * anything it adds, such as `external`.
 */
export function packageBuild(
  entry: Options['entry'] = ['src/index.ts'],
  extra: Omit<Options, 'entry'> = {},
): ReturnType<typeof defineConfig> {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    ...extra,
  });
}
