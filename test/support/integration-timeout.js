// Integration and e2e suites boot the app, a child process or a browser. On a 2-core CI machine
// running two Jest workers, a boot that takes 1 s alone can take over 5 s (Jest's default) while the
// other worker drives Chromium: a dossier suite's app start timed out that way in CI (30 November).
// Tests and hooks that need longer still say so themselves.
import { jest } from '@jest/globals';

jest.setTimeout(30_000);
