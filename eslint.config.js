// Lint enforces the layering: a file's path tells where it runs and what it may import.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'http', 'net', 'crypto', 'url', 'util', 'events', 'stream', 'perf_hooks', 'v8', 'inspector', 'cluster', 'zlib'];

/** Builds a no-restricted-imports rule from forbidden module names and path patterns. */
function forbid(reason, { modules = [], patterns = [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: modules.filter((m) => !m.includes('*')).map((name) => ({ name, message: reason })),
        patterns: [
          ...modules.filter((m) => m.includes('*')).map((group) => ({ group: [group], message: reason })),
          ...patterns.map((group) => ({ group: [group], message: reason })),
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'dist/**', 'test-results/**', 'playwright-report/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly',
        performance: 'readonly', URL: 'readonly', Buffer: 'readonly', structuredClone: 'readonly',
        window: 'readonly', document: 'readonly', WebSocket: 'readonly', fetch: 'readonly', AbortController: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // CommonJS scripts run by tools that require() them (electron-builder's afterPack hook).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/shared/**'],
    rules: forbid('src/shared is plain TypeScript shared by every side: no electron, Node or DOM-only modules, nothing outside shared.', {
      modules: ['electron', 'react', 'react-dom', ...nodeBuiltins],
      patterns: ['**/main/*', '**/renderer/*', '**/workers/*', '**/preload/*', '**/node/*'],
    }),
  },
  {
    files: ['src/node/**'],
    rules: forbid('src/node is the Node code the engine and the workers share (probe, statistics, FIFO): it imports only src/shared, src/node and Node, never electron, the engine, the workers or the renderer.', {
      modules: ['electron', 'react', 'react-dom'],
      patterns: ['**/main/*', '**/engine/*', '**/workers/*', '**/renderer/*', '**/preload/*'],
    }),
  },
  {
    files: ['src/main/engine/**'],
    rules: forbid('The engine runs in every host (Electron, web, CLI): it never imports electron, the renderer, a host or a worker (code it shares with the workers lives in src/node).', {
      modules: ['electron', 'react', 'react-dom'],
      patterns: ['**/renderer/*', '**/preload/*', '**/web/*', '**/desktop/*', '**/cli', '**/cli.js', '**/workers/*'],
    }),
  },
  {
    files: ['src/workers/**'],
    rules: forbid('Workers run off the main thread or in subject processes: they import only src/shared, src/node and src/workers.', {
      modules: ['electron', 'react', 'react-dom'],
      patterns: ['**/main/*', '**/engine/*', '**/renderer/*', '**/preload/*'],
    }),
  },
  {
    // React's rules of hooks and the React Compiler's checks; a missing effect dependency is an error, not a warning
    // (the commit gate lints with --quiet, which would let warnings through).
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.flat['recommended-latest'].rules, 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['src/renderer/**'],
    rules: forbid('The renderer talks to the engine only through the contract client: no electron, Node, engine or worker imports.', {
      modules: ['electron', ...nodeBuiltins],
      patterns: ['**/main/*', '**/engine/*', '**/workers/*', '**/preload/*', '**/node/*'],
    }),
  },
  {
    files: ['src/preload/**'],
    rules: forbid('The preload exposes the contract bridge only: electron and src/shared, nothing else.', {
      modules: [...nodeBuiltins],
      patterns: ['**/main/*', '**/engine/*', '**/renderer/*', '**/workers/*', '**/node/*'],
    }),
  },
  {
    files: ['src/main/web/**', 'src/main/cli.ts', 'src/main/cli-*.ts', 'src/main/host-binding.ts'],
    rules: forbid('The web host and the CLI run without Electron.', { modules: ['electron'], patterns: ['**/desktop/*'] }),
  },
  {
    files: ['src/main/desktop/**', 'src/main/index.ts'],
    rules: forbid('The desktop shell binds the engine to Electron: electron, the engine and shared; never the renderer, the preload, workers or another host.', {
      modules: ['react', 'react-dom'],
      patterns: ['**/renderer/*', '**/preload/*', '**/workers/*', '**/web/*', '**/cli', '**/cli.js', '**/cli-*'],
    }),
  },
);
