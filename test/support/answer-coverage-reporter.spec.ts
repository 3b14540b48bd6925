import { answerCoverage } from './answer-coverage-reporter.js';

describe('answerCoverage', () => {
  const documented = ['GET /signals 200', 'GET /signals 401', 'POST /auth/refresh 403'];

  it('finds a documented answer that no app gave, over the records of every app', () => {
    const coverage = answerCoverage(
      [
        { documented, produced: ['GET /signals 200'] },
        { documented, produced: ['GET /signals 200'] },
      ],
      new Map([['POST /auth/refresh 403', 'a race']]),
    );
    expect(coverage).toEqual({ documented: 3, produced: 1, missing: ['GET /signals 401'], stale: [] });
  });

  it('counts an answer given by any one app', () => {
    const coverage = answerCoverage(
      [
        { documented, produced: ['GET /signals 200'] },
        { documented, produced: ['GET /signals 401'] },
      ],
      new Map([['POST /auth/refresh 403', 'a race']]),
    );
    expect(coverage.missing).toEqual([]);
  });

  it('reports an exception that an app gives after all, or that the document no longer has', () => {
    const coverage = answerCoverage(
      [{ documented, produced: ['GET /signals 200', 'GET /signals 401', 'POST /auth/refresh 403'] }],
      new Map([
        ['POST /auth/refresh 403', 'a race'],
        ['DELETE /gone 204', 'removed'],
      ]),
    );
    expect(coverage.stale).toEqual(['DELETE /gone 204', 'POST /auth/refresh 403']);
    expect(coverage.missing).toEqual([]);
  });
});
