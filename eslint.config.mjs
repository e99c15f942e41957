import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import noSecrets from 'eslint-plugin-no-secrets';
import reactHooks from 'eslint-plugin-react-hooks';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      'test-results/',
      '.data/',
      'appPackage/',
      'infra/',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX, 'no-secrets': noSecrets },
    settings: {
      'import-x/resolver-next': [
        createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs'] }),
      ],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': 'error',
      'no-secrets/no-secrets': ['error', { tolerance: 4.5 }],
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'net', 'crypto'],
              message: 'shared/ does no I/O.',
            },
            {
              group: ['**/bot/**', '**/tab/**'],
              message: 'shared/ imports nothing from bot/ or tab/.',
            },
            {
              group: [
                'botbuilder*',
                '@microsoft/*',
                'express',
                'react',
                'react-dom',
                '@fluentui/*',
                'pg',
                'better-sqlite3',
              ],
              message: 'shared/ imports no SDK: zod only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bot/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/tab/**', '@microsoft/teams-js', 'react', '@fluentui/*'],
              message: 'bot/ never imports the tab.',
            },
            { group: ['**/shared/src/**'], message: 'Import the core through @shared.' },
          ],
        },
      ],
    },
  },
  {
    // One home for the Bot Framework SDK: the Teams channel adapter (and the inbound token check).
    files: ['bot/src/**/*.ts'],
    ignores: ['bot/src/teams/**', 'bot/src/http/auth/bot-framework-auth.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/tab/**', '@microsoft/teams-js', 'react', '@fluentui/*'],
              message: 'bot/ never imports the tab.',
            },
            { group: ['**/shared/src/**'], message: 'Import the core through @shared.' },
            {
              group: ['botbuilder', 'botbuilder-*', 'botframework-*'],
              message: 'botbuilder lives only in bot/src/teams/ (and the bot token check).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['tab/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/bot/**', 'botbuilder*', 'express'],
              message: 'tab/ never imports the bot.',
            },
            { group: ['**/shared/src/**'], message: 'Import the core through @shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tab/src/**/*.{ts,tsx}'],
    ignores: ['tab/src/teams/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@microsoft/teams-js', message: 'teams-js lives only in tab/src/teams/.' },
          ],
          patterns: [
            {
              group: ['**/bot/**', 'botbuilder*', 'express'],
              message: 'tab/ never imports the bot.',
            },
            { group: ['**/shared/src/**'], message: 'Import the core through @shared.' },
          ],
        },
      ],
    },
  },
  {
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-secrets/no-secrets': 'off',
    },
  },
);
