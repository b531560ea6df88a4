// @ts-check
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import boundaries from 'eslint-plugin-boundaries';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const serverSrc = 'apps/server/src';
/** The server modules between the session and the low layers: siblings never import each other. */
const serverMiddle = ['materializer', 'publishing', 'observation', 'runtime', 'faults'];
/**
 * The server's layers (folders of apps/server/src) and what each may import besides itself:
 * only layers further down, so no folder imports one that imports it back, around any loop.
 */
const serverLayers = {
  routes: [
    'cluster',
    'teaching',
    'session',
    'store',
    ...serverMiddle,
    'events',
    'broker',
    'workers',
    'errors',
  ],
  // Several servers sharing the store and the broker: where a session runs, its events elsewhere.
  cluster: ['session', 'store', 'events', 'broker', 'errors'],
  // Lessons (and classrooms): what a session teaches, above the session it runs on.
  teaching: ['session', ...serverMiddle, 'events', 'broker', 'store', 'errors'],
  session: [...serverMiddle, 'events', 'broker', 'errors'],
  ...Object.fromEntries(serverMiddle.map((layer) => [layer, ['events', 'broker', 'errors']])),
  events: ['errors'],
  broker: ['errors'],
  // Saved diagrams (SQLite or PostgreSQL): below the routes, beside the broker.
  store: ['errors'],
  // Worker threads that take long work (explaining against a large diagram) off the event loop.
  workers: [],
  // WarrenError, raised everywhere with its code and status, and the one handler that maps it.
  errors: [],
};

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/.artifacts/',
    '**/test-results/',
    '**/playwright-report/',
    '**/coverage/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          // Root-level config files belong to no workspace package's tsconfig.
          allowDefaultProject: ['vitest.config.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // Promises handed to event emitters and React handlers are common and intended.
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowNullish: true },
      ],
      // Fastify plugins and route handlers are async by contract, awaiting or not.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // Plain JavaScript (this file, scripts/*.mjs) is not type-checked.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['apps/web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      // The React Compiler rules flag the deliberate ref-driven animation code; advise, don't block.
      'react-hooks/refs': 'warn',
      'react-hooks/purity': 'warn',
      'react-hooks/immutability': 'warn',
      'react-hooks/set-state-in-effect': 'warn',
    },
  },
  {
    files: [`${serverSrc}/**/*.ts`],
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts'] } },
      'boundaries/include': [`${serverSrc}/**/*.ts`],
      'boundaries/elements': [
        ...Object.keys(serverLayers).map((layer) => ({
          type: layer,
          pattern: `${serverSrc}/${layer}`,
          partialMatch: false,
        })),
        // app.ts, server.ts and config.ts: the process and the app plugin on top.
        { type: 'app', pattern: serverSrc, partialMatch: false },
      ],
      'boundaries/files': [{ category: 'config', pattern: `${serverSrc}/config.ts` }],
    },
    rules: {
      'boundaries/dependencies': [
        'error',
        {
          default: 'disallow',
          message:
            '{{from.type}}/ may not import {{to.type}}/: server layers import only the layers below them (see serverLayers in eslint.config.js)',
          // The last policy that matches decides.
          policies: [
            {
              from: { element: { type: 'app' } },
              allow: { to: { element: { types: ['app', ...Object.keys(serverLayers)] } } },
            },
            ...Object.entries(serverLayers).map(([layer, below]) => ({
              from: { element: { type: layer } },
              allow: {
                // Every layer may read the config.
                to: [{ element: { types: [layer, ...below] } }, { file: { categories: 'config' } }],
              },
            })),
            {
              from: { file: { categories: 'config' } },
              disallow: { to: { element: { types: '*' } } },
              message: 'config.ts reads the environment and imports nothing of the server',
            },
          ],
        },
      ],
    },
  },
  {
    // Playwright fixtures that need no other fixture take `{}` as their first parameter.
    files: ['e2e/**/*.ts'],
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  {
    files: ['**/*.test.{ts,tsx}', '**/test/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      // Tests poke at untyped JSON replies on purpose.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  prettier,
);
