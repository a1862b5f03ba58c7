import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const { version } = JSON.parse(readFileSync(resolve(__dirname, 'package.json'), 'utf8')) as { version: string };
const define = { __TUNEBENCH_VERSION__: JSON.stringify(version) };

/**
 * Node-side entry points. Worker entries land in out/main/workers/ and are
 * loaded by path at run time (worker_threads, child processes), so each must
 * be its own entry, never inlined.
 */
const mainEntries = {
  index: resolve(__dirname, 'src/main/index.ts'),
  web: resolve(__dirname, 'src/main/web/main.ts'),
  // The CLI's process entry; src/main/cli.ts itself only exports main and the command table.
  cli: resolve(__dirname, 'src/main/cli-entry.ts'),
  // The database module on its own, for bench/db.bench.mjs.
  db: resolve(__dirname, 'src/main/engine/kinds/db/index.ts'),
  // The engine facade on its own, for bench/pool.bench.mjs (runs the pool kind exactly as the app does).
  engine: resolve(__dirname, 'src/main/engine/engine.ts'),
  'workers/pool-worker': resolve(__dirname, 'src/workers/pool-worker.ts'),
  'workers/simple-pool-worker': resolve(__dirname, 'src/workers/simple-pool-worker.ts'),
  'workers/memory-sandbox': resolve(__dirname, 'src/workers/memory-sandbox/sandbox.ts'),
  'workers/probe-preload': resolve(__dirname, 'src/workers/probe-preload.ts'),
  'workers/cluster-supervisor': resolve(__dirname, 'src/workers/cluster/supervisor-entry.ts'),
  'workers/test-server': resolve(__dirname, 'src/workers/cluster/test-server.ts'),
  'workers/load-generator': resolve(__dirname, 'src/workers/load/load-generator.ts'),
};

export default defineConfig(({ command }) => ({
  main: {
    // The desktop shell honours ELECTRON_RENDERER_URL only in a main process built by `electron-vite dev`
    // (command "serve"); `electron-vite build` bakes in false, so a built app never loads another page.
    define: { ...define, __TUNEBENCH_DEV_SERVER__: JSON.stringify(command === 'serve') },
    build: {
      outDir: 'out/main',
      sourcemap: true,
      rollupOptions: {
        input: mainEntries,
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' },
      },
    },
  },
  preload: {
    define,
    build: {
      outDir: 'out/preload',
      // A sandboxed preload can require only 'electron': zod and the rest must be bundled in.
      externalizeDeps: false,
      // Sandboxed preloads cannot be ES modules.
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    define,
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
        // V8 compiles the chart library's chunk whole while streaming it in, off the main thread, instead of
        // function by function inside the first chart's render (Chromium's explicit compile hint).
        output: { banner: (chunk) => (chunk.moduleIds.some((id) => id.includes('/node_modules/recharts/')) ? '//# allFunctionsCalledOnLoad' : '') },
      },
    },
  },
}));
