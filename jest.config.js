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
  // Native ESM under `--experimental-vm-modules` leaks every suite's module graph: Node keeps each
  // vm.SyntheticModule/SourceTextModule alive (nodejs/node#59118), and with it the suite's context, so
  // a worker grew by some 30 MB of heap and 20 MB of buffers (bson's 17 MB pool, before the embedded
  // app stopped loading the MongoDB driver) per suite that boots the app. A worker ending with 500 MB of heap (900 MB resident) took 565 ms to exit, all of it
  // freeing memory after its 'exit' event (no handle left open), and Jest force-exits a worker after
  // 500 ms: "A worker process has failed to exit gracefully". Replacing a worker past 256 MB keeps
  // each exit short (2 December: the first half of the integration suites warned in 90 s and no
  // longer does, in 81 s).
  workerIdleMemoryLimit: '256MB',
  // A whole run fails when a documented answer of the API is given by no test (the reporter's file).
  reporters: ['default', '<rootDir>/test/support/answer-coverage-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/projections/**/*.spec.ts',
        '<rootDir>/workflows/**/*.spec.ts',
        '<rootDir>/test/support/**/*.spec.ts',
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
