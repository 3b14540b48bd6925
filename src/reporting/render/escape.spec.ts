import { describe, expect, it } from '@jest/globals';
import { escapeHtml, escapeMarkdown } from './escape.js';

describe('escaping free text of briefs', () => {
  it('keeps a planted script as text in HTML', () => {
    expect(escapeHtml(`<script>alert('x')</script> & "y"`)).toBe(
      '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;',
    );
  });

  it('keeps Markdown syntax and embedded HTML as text', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)> [link](javascript:x) *vet* | cel')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; \\[link\\](javascript:x) \\*vet\\* \\| cel',
    );
    expect(escapeMarkdown('# kop\nnieuwe regel')).toBe('\\# kop nieuwe regel');
    expect(escapeMarkdown('- lijst')).toBe('\\- lijst');
    expect(escapeMarkdown('+3 (+5 %)', { inTableCell: true })).toBe('+3 (+5 %)');
  });
});
