import { describe, expect, it } from '@jest/globals';
import { ApiFailure } from '../../api/client';
import { fieldErrors, newIdempotencyKey } from './fieldErrors';

describe('fieldErrors (a refusal shown at the field it names)', () => {
  it("puts the privacy guard's message at its field, with the field's Dutch label", () => {
    const failure = new ApiFailure(
      422,
      'PERSONAL_DATA_DETECTED',
      "Het veld 'description' bevat wat lijkt op een e-mailadres. Een signaal beschrijft een situatie, geen persoon.",
      { field: 'description', kind: 'email' },
    );
    expect(fieldErrors(failure)).toEqual({
      description:
        "Het veld 'Beschrijving' bevat wat lijkt op een e-mailadres. Een signaal beschrijft een situatie, geen persoon.",
    });
  });

  it('spreads a validation failure over the fields it lists', () => {
    // The API client spreads the `details` array into an object keyed 0, 1, …
    const failure = new ApiFailure(400, 'VALIDATION_FAILED', 'Titel te kort. Onbekend thema.', {
      0: { field: 'title', messages: ['Minstens 5 tekens.'] },
      1: { field: 'themes', messages: ['Onbekend thema.'] },
    });
    expect(fieldErrors(failure)).toEqual({ title: 'Minstens 5 tekens.', themes: 'Onbekend thema.' });
  });

  it('names no field for a failure without one, nor for anything that is not an API failure', () => {
    expect(fieldErrors(new ApiFailure(500, 'SERVER_ERROR', 'Er ging iets mis.'))).toEqual({});
    expect(fieldErrors(new Error('netwerk'))).toEqual({});
  });

  it('makes a new idempotency key per submit', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });
});
