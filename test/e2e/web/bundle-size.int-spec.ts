import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { webAppDir } from '../../../src/platform/http/web-app.js';

/** #10: the JavaScript a browser loads for the first screen stays ≤ 500 kB gzipped. */
const BUDGET_BYTES = 500 * 1024;

describe('web app bundle (dist/web, built by npm test)', () => {
  const dir = webAppDir();
  const index = readFileSync(join(dir, 'index.html'), 'utf8');

  /** The entry script and every module it preloads: what the first screen downloads. */
  const firstScreenScripts = [
    ...index.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g),
    ...index.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g),
  ].map((match) => match[1] as string);

  it('loads its first screen with at most 500 kB of gzipped JavaScript', () => {
    expect(firstScreenScripts.length).toBeGreaterThan(0);
    const gzipped = firstScreenScripts.reduce(
      (sum, src) => sum + gzipSync(readFileSync(join(dir, src.replace(/^\//, '')))).length,
      0,
    );
    console.log(
      `first screen: ${firstScreenScripts.length} script(s), ${(gzipped / 1024).toFixed(1)} kB gzipped`,
    );
    expect(gzipped).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('loads no script from another origin and inlines none', () => {
    expect(index).not.toMatch(/<script(?![^>]*src="\/)[^>]*>/);
    expect(index).not.toMatch(/(src|href)="https?:/);
  });
});
