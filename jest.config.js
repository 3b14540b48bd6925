/** Native ESM Jest (run through `node --experimental-vm-modules`), TypeScript by ts-jest. */
import { availableParallelism } from 'node:os';

const integration = ['<rootDir>/test/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: false }],
  },
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/jest-env.js'],
};

export default {
  // Jest's default (one worker less than the cores) runs the suites one by one on a 2-core machine,
  // where most of them wait on child processes, a browser or timers: 840 s of suites one by one
  // against 474 s in two workers, all passing (30 November, 14:19 and 14:35).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/projections/**/*.spec.ts',
        '<rootDir>/workflows/**/*.spec.ts',
      ],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: integration,
      setupFilesAfterEnv: ['<rootDir>/test/support/integration-timeout.js'],
    },
  ],
};
