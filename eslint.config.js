// Lint, including the layering docs/architecture.md describes:
//   shared/          imports neither electron/ nor renderer/, nor Node, nor the DOM
//   renderer/        imports only shared/ (and its UI packages), never Node or Electron
//   electron/engine/ and electron/cli/ never import the `electron` package
//   electron/shell/ (the desktop app's own parts) is imported by electron/main.ts, not by the engine, cli or lib
//   SQL is written in electron/engine/db/ only
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNode = { paths: nodeModules.map((name) => ({ name, message: 'this layer runs without Node' })) };
const electronPackage = {
  name: 'electron',
  message: 'only electron/main.ts, preload.ts and electron/host/ may touch Electron',
};
const domGlobals = ['window', 'document', 'navigator', 'localStorage', 'location', 'HTMLElement', 'fetch'].map(
  (name) => ({
    name,
    message: 'shared/ is isomorphic: no DOM here',
  }),
);

export default tseslint.config(
  // .stryker-tmp/ holds a copy of the tree while `npm run mutate` runs; reports/ its output.
  { ignores: ['node_modules/', '.vite/', 'out/', 'release/', '.demo/', '.stryker-tmp/', 'reports/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noNode,
          paths: [...noNode.paths, electronPackage],
          patterns: [
            {
              group: ['**/electron/**', '**/renderer/**', 'react', 'zustand', 'plotly.js*', 'h5wasm*', 'yaml'],
              message: 'shared/ depends on nothing but zod',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        ...domGlobals,
        { name: 'process', message: 'shared/ is isomorphic: no Node here' },
        { name: 'Buffer', message: 'shared/ is isomorphic: no Node here' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNode.paths, electronPackage],
          patterns: [
            {
              group: ['**/electron/**', 'h5wasm*', 'ws', 'yaml', 'better-sqlite3'],
              message: 'the renderer reaches the engine only through shared/api.ts',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'the renderer runs without Node' },
        { name: 'require', message: 'the renderer runs without Node' },
      ],
    },
  },
  {
    files: ['electron/**/*.ts', 'test/**/*.ts', 'bench/**/*.{ts,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], message: 'only the renderer bundle imports renderer code' }] },
      ],
    },
  },
  {
    // One owner of SQL: the run database (electron/engine/db/) writes every statement; the rest asks RunDb.
    files: ['electron/**/*.ts'],
    ignores: ['electron/engine/db/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|pragma)$/]',
          message: 'SQL is written in electron/engine/db/ only: add a method to RunDb',
        },
        {
          selector: "ImportDeclaration[source.value='better-sqlite3']",
          message: 'SQL is written in electron/engine/db/ only: add a method to RunDb',
        },
      ],
    },
  },
  {
    files: ['electron/engine/**/*.ts', 'electron/cli/**/*.ts', 'electron/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronPackage],
          patterns: [
            { group: ['**/renderer/**'], message: 'the engine never imports the UI' },
            {
              group: ['**/shell/**'],
              message: "electron/shell/ is the desktop app's: only electron/main.ts imports it",
            },
          ],
        },
      ],
    },
  },
);
