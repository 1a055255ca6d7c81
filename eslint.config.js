// Layering rules, in the spirit of VS Code's folders-named-after-runtimes:
//   wasm/      the volumetry core: imports no electron/, renderer/, React, Electron, DOM or (outside wasm/src/node) Node.
//   electron/  main process, preload, Node services and CLI: may import wasm/ and fixtures/ (tests), never renderer/.
//   renderer/  the React UI: may import wasm/ and, from electron/, only the IPC contract types.
//   fixtures/  phantom generators: may import wasm/, never electron/ or renderer/.
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'worker_threads', 'zlib', 'crypto', 'url', 'http', 'https', 'net'];

const layer = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group, message })) }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'build/**', 'dist/**', 'out/**', '.vite/**', 'test-output/**', 'bench/results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['wasm/src/**/*.ts'],
    ignores: ['wasm/src/node/**', 'wasm/src/**/*.test.ts'],
    rules: layer(
      [['**/electron/**', '**/renderer/**', '**/fixtures/**', 'electron', 'electron/*', 'react', 'react-dom', 'react-dom/*', 'zustand', '@cornerstonejs/*', ...nodeBuiltins]],
      'wasm/ shared code is runtime-neutral: no Electron, React, DOM, fixtures or Node-only imports (Node code goes in wasm/src/node).',
    ),
  },
  {
    files: ['wasm/src/node/**/*.ts', 'wasm/src/**/*.test.ts'],
    rules: layer(
      [['**/electron/**', '**/renderer/**', 'electron', 'electron/*', 'react', 'react-dom', 'zustand', '@cornerstonejs/*']],
      'wasm/ never imports electron/ or renderer/.',
    ),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', ...nodeBuiltins.filter((n) => !n.includes('*'))],
          patterns: [
            { regex: '(^|/)electron/(?!src/ipc/contract\\.ts$)', message: 'renderer/ may import from electron/ only the IPC contract types (electron/src/ipc/contract.ts).' },
            { group: ['electron/*', 'node:*', 'fs/*'], message: 'renderer/ imports no Electron or Node modules.' },
          ],
        },
      ],
      // The contract is imported for its TYPES only: the renderer runs no code from electron/.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(^|/)electron/src/ipc/contract\\.ts$', allowTypeImports: true, message: 'renderer/ imports the IPC contract with `import type` only.' }] },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: layer([['**/renderer/**']], 'electron/ never imports renderer/.'),
  },
  {
    files: ['fixtures/**/*.ts'],
    rules: layer([['**/electron/**', '**/renderer/**']], 'fixtures/ imports only wasm/ (and Node).'),
  },
);
