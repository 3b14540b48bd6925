import { defineConfig } from 'vite';

/** The web app (src/web) builds into dist/web, which the NestJS app serves at `/`. */
export default defineConfig({
  root: 'src/web',
  base: '/',
  publicDir: false,
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: true,
    // Vega (charts) is one lazy chunk of ~1 MB minified (273 kB gzipped), loaded with the first
    // chart only; test/e2e/web/bundle-size.int-spec.ts guards what the first screen loads.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      onwarn(warning, warn) {
        // Mantine marks its modules "use client" (for React Server Components); meaningless here.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
