import { describe, expect, it } from '@jest/globals';
import { countOf } from './terms';

describe('counts in Dutch', () => {
  it('writes one in the singular and every other count in the plural', () => {
    expect(countOf(1, 'signaal', 'signalen')).toBe('1 signaal');
    expect(countOf(0, 'signaal', 'signalen')).toBe('0 signalen');
    expect(countOf(2, 'signaal', 'signalen')).toBe('2 signalen');
    expect(countOf(1234, 'signaal', 'signalen')).toBe('1.234 signalen');
  });
});
