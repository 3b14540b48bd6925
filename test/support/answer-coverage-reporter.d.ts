/** What one app of a run recorded (openapi-answers.ts, recordAnswers). */
export interface AnswerRecord {
  documented: string[];
  produced: string[];
}

export declare const NOT_PRODUCED: ReadonlyMap<string, string>;

export declare function answerCoverage(
  records: readonly AnswerRecord[],
  exceptions?: ReadonlyMap<string, string>,
): { documented: number; produced: number; missing: string[]; stale: string[] };

export default class AnswerCoverageReporter {
  constructor(globalConfig: unknown);
  onRunStart(): void;
  onRunComplete(contexts: unknown, results: unknown): void;
  getLastError(): Error | undefined;
}
