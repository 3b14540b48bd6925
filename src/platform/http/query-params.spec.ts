import { describe, expect, it } from '@jest/globals';
import { ApiError } from './api-error.js';
import { queryParams } from './query-params.js';

function refusal(run: () => unknown): { status: number; code: string; message: string } {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const { statusCode, code, message } = (error as ApiError).getResponse() as {
      statusCode: number;
      code: string;
      message: string;
    };
    return { status: statusCode, code, message };
  }
  throw new Error('expected a refusal');
}

describe('a route’s query parameters', () => {
  it('gives the ones the route takes, as strings', () => {
    expect(queryParams({ period: '2026-Q3' }, ['period', 'populationBand'])).toEqual({ period: '2026-Q3' });
    expect(queryParams({}, ['period'])).toEqual({});
  });

  it('refuses one it does not take, naming it and the ones it knows', () => {
    expect(refusal(() => queryParams({ periode: '2026-Q2' }, ['period', 'populationBand']))).toEqual({
      status: 400,
      code: 'INVALID_QUERY',
      message: "Onbekende parameter 'periode'. Deze vraag kent enkel: period, populationBand.",
    });
  });

  it('refuses one given twice (a list), or as an object', () => {
    expect(refusal(() => queryParams({ limit: ['1', '2'] }, ['limit'])).message).toBe(
      "De parameter 'limit' mag maar één keer voorkomen.",
    );
    expect(refusal(() => queryParams({ limit: { $gt: '' } }, ['limit'])).code).toBe('INVALID_QUERY');
  });
});
