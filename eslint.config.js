import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'coverage/**', 'bench-results/**', 'node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a union of string literals instead of an enum.' },
      ],
    },
  },
  {
    // Projections, workflows and the audit core are pure: published types and pure code, never adapters.
    files: [
      'projections/**/*.ts',
      'workflows/**/*.ts',
      'src/audit/core/**/*.ts',
      'src/supralocal/core/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/platform/*/sqlite/**',
                '**/platform/*/eventstoredb/**',
                '**/platform/*/mongodb/**',
                '**/platform/http/**',
                '**/platform/jobs/**',
                '**/*.handler.js',
                '**/*.http.js',
                '**/*.module.js',
                '**/*.repository.js',
              ],
              message: 'Pure code may not import adapters.',
            },
            {
              group: ['@nestjs/*', 'better-sqlite3', 'mongodb', 'bullmq', 'ioredis', '@eventstore/*'],
              message: 'Pure code may not import frameworks or drivers.',
            },
          ],
        },
      ],
    },
  },
);
