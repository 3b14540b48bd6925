import { describe, expect, it } from '@jest/globals';
import { assertValidStreamName, categoryOf, streamName } from './stream-name.js';

describe('streamName', () => {
  it('joins a category and id parts', () => {
    expect(streamName('signal', 'gent', '0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e0f')).toBe(
      'signal-gent-0195f3c2-7b1a-7c3e-8d4f-5a6b7c8d9e0f',
    );
    expect(categoryOf('signal-gent-1')).toBe('signal');
  });

  it.each([
    ['sig-nal', 'x'],
    ['Signal', 'x'],
    ['$ce', 'x'],
    ['', 'x'],
  ])('refuses the category %j', (category, id) => {
    expect(() => streamName(category, id)).toThrow(
      expect.objectContaining({ code: 'INVALID_STREAM_NAME' }) as unknown as Error,
    );
  });

  it('refuses a stream without id parts and ids with spaces', () => {
    expect(() => streamName('signal')).toThrow(/needs an id/);
    expect(() => streamName('signal', 'a b')).toThrow(/printable/);
  });

  it('names the rule a raw name breaks', () => {
    expect(() => assertValidStreamName('$all')).toThrow(/reserved/);
    expect(() => assertValidStreamName('x'.repeat(201))).toThrow(/at most 200/);
    expect(() => assertValidStreamName('nocategory')).toThrow(/no category/);
    expect(() => assertValidStreamName(42)).toThrow(/non-empty string/);
  });
});
