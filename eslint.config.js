// Lint holds the layers: entry points → http/temporal → activities → use cases (src/imports) →
// sources, domain and db. Each block below bans the imports that would point an arrow backwards.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** A no-restricted-imports rule from groups of banned import patterns, each with the reason. */
const banned = (...patterns) => ['error', { patterns }];
const layer = (group, message, allowTypeImports = false) => ({ group, message, allowTypeImports });
const sourceLayer = {
  regex: '^((\\.\\./)+(imports|http|temporal|main|cli|activities|workflows)(/|$)|@temporalio/)',
  message: 'a source is called by the use cases; it does not call them',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      'bench/results/',
      'bench/.data/',
      'test-results/',
      'drizzle/',
      'web/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      // File checks look for control characters on purpose (NUL, C0 codes in names and cells).
      'no-control-regex': 'off',
    },
  },
  {
    // Tests and benchmarks read JSON answers of the api as they come.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', exports: 'writable', module: 'writable' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code is replayed: only the Temporal workflow API, its own definitions and the vocabulary.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned(
        layer(nodeBuiltins, 'workflow code must be deterministic: no Node built-ins'),
        {
          regex: '^(?!@temporalio/(workflow|common)$|\\./|\\.\\./src/vocabulary$|\\.\\./activities$)',
          message: 'workflows import only @temporalio/workflow, their definitions and src/vocabulary',
        },
        layer(
          ['../activities', '../activities/*'],
          'workflows call activities through proxyActivities: import their types only',
          true,
        ),
      ),
    },
  },
  {
    files: ['activities/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned(
        layer(['../workflows', '../workflows/*'], 'activities do not know the workflows that call them'),
        layer(
          ['../src/http/*', '../src/temporal/*', '../src/main/*', '../src/cli/*'],
          'activities call use cases, never an entry point or the api',
        ),
      ),
    },
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned(
        layer(
          [
            '../db',
            '../db/*',
            '../db/**',
            '../imports/*',
            '../sources',
            '../sources/*',
            'pg',
            'drizzle-orm',
            'drizzle-orm/*',
            '../temporal/*',
            '@temporalio/*',
          ],
          'the CLI is an HTTP client: it talks to the api, never to the use cases, the database or Temporal',
        ),
      ),
    },
  },
  {
    files: ['src/config.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned(
        layer(['./temporal/*', './db/*', './http/*'], 'configuration parses the environment only'),
      ),
    },
  },
  {
    files: ['src/imports/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned(
        layer(
          [
            '../http/*',
            '../temporal/*',
            '../main/*',
            '../cli/*',
            '../../activities',
            '../../activities/*',
            '../../workflows',
            '../../workflows/*',
            '@temporalio/*',
          ],
          'use cases know neither the api nor Temporal: the layers above call them',
        ),
      ),
    },
  },
  {
    files: ['src/sources/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': banned(sourceLayer) },
  },
  {
    files: ['src/sources/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned(sourceLayer, {
        regex: '^\\.\\./[a-z-]+/',
        message: 'what sources share knows no source: move the piece here, or keep it in its folder',
      }),
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned(
        layer(
          [
            '../db/*',
            '../sources',
            '../sources/*',
            '../imports/*',
            '../http/*',
            '../temporal/*',
            '../files/*',
            'pg',
            'express',
            'drizzle-orm',
            'drizzle-orm/*',
            '@temporalio/*',
            'node:fs',
            'node:fs/*',
            'fs',
          ],
          'src/domain is pure: no database, Temporal, express or files',
        ),
      ),
    },
  },
  {
    files: ['src/db/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': banned({
        regex: '^(\\.\\./)+(sources|imports|http|temporal|main|cli|activities|workflows)(/|$)',
        message: 'the database layer is called by the layers above; it calls none of them',
      }),
    },
  },
);
