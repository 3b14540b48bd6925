import { describe, expect, it } from '@jest/globals';
import { TAXONOMY, codesOf, isCode } from './taxonomy.js';

describe('the shared taxonomy', () => {
  it('holds the shared theme codes of DOMAIN.md, unique', () => {
    const themes = codesOf('themes');
    expect(new Set(themes).size).toBe(TAXONOMY.themes.length);
    for (const code of ['wonen', 'energie', 'armoede-en-inkomen', 'mentaal-welzijn', 'digitale-inclusie']) {
      expect(isCode('themes', code)).toBe(true);
    }
    expect(isCode('themes', 'Wonen')).toBe(false);
    expect(isCode('targetGroups', 'nieuwkomers')).toBe(true);
    expect(isCode('policyDomains', 'jeugd')).toBe(true);
  });
});
