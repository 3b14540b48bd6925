import { describe, expect, it } from '@jest/globals';
import { hasControlCharacter, isBlank } from './text.js';

describe('typed text', () => {
  it('finds control characters, but not tab, line feed or carriage return', () => {
    for (const text of ['\u0000', 'a\u0007b', 'x\u001b[31m', '\u007f', '\u0085', 'a\u000bb'])
      expect({ text, control: hasControlCharacter(text) }).toEqual({ text, control: true });
    for (const text of ['Huurders\twachten', 'regel 1\nregel 2\r\n', 'één', 'a\u200bb', '€ 5'])
      expect({ text, control: hasControlCharacter(text) }).toEqual({ text, control: false });
  });

  it('calls text blank when nothing of it is visible: white space, zero-width and format characters', () => {
    for (const text of ['', '   ', '\u200b\u200b', '\u00a0\u2003', '\ufeff\u200d\u2060', '\n\t'])
      expect({ text, blank: isBlank(text) }).toEqual({ text, blank: true });
    for (const text of ['a', ' . ', '\u200bx', '5', '😀'])
      expect({ text, blank: isBlank(text) }).toEqual({ text, blank: false });
  });
});
