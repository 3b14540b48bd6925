import { beforeEach, describe, expect, it } from '@jest/globals';
import { authorizationRequest, readCallback, type OidcOptions } from './oidc';

// The tab's sessionStorage, as the browser keeps it between leaving for the provider and coming back.
const stored = new Map<string, string>();
Object.assign(globalThis, {
  sessionStorage: {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
    removeItem: (key: string) => stored.delete(key),
  },
});

const ORIGIN = 'https://lokaal-signaal.gent.example';
const options = (flow: OidcOptions['flow']) => ({
  issuer: 'https://idp.example',
  audience: 'lokaal-signaal',
  authorizationUrl: 'https://idp.example/authorize',
  clientId: 'web',
  flow,
});
const purpose = { kind: 'sign-in' as const, tenant: 'gent' };
const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const unsignedToken = (claims: object) =>
  ['e30', base64url(new TextEncoder().encode(JSON.stringify(claims))), 'sig'].join('.');
const sha256 = async (text: string) =>
  base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));

describe('OIDC in the browser', () => {
  beforeEach(() => stored.clear());

  it('code flow: sends an S256 challenge, and hands back the code with the verifier behind it', async () => {
    const url = new URL(await authorizationRequest(options('code'), purpose, 'nonce-1', ORIGIN));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      code_challenge_method: 'S256',
      client_id: 'web',
      redirect_uri: `${ORIGIN}/aanmelden/oidc`,
      nonce: 'nonce-1',
    });
    expect(url.searchParams.has('response_mode')).toBe(false);
    const state = url.searchParams.get('state')!;
    const callback = readCallback(`?code=de-code&state=${state}`, '');
    expect(callback).toMatchObject({
      ok: true,
      purpose,
      proof: { code: 'de-code', redirectUri: `${ORIGIN}/aanmelden/oidc` },
    });
    const verifier = callback.ok && 'codeVerifier' in callback.proof ? callback.proof.codeVerifier : '';
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(await sha256(verifier)).toBe(url.searchParams.get('code_challenge'));
    // Once: the same answer again finds no sign-in started in this tab.
    expect(readCallback(`?code=de-code&state=${state}`, '')).toMatchObject({ ok: false, purpose: null });
  });

  it('code flow: refuses another state, a code in the fragment, and an ID token instead of a code', async () => {
    for (const [search, hash] of [
      ['?code=de-code&state=verzonnen', ''],
      ['', '#code=de-code&state=STATE'],
      ['?id_token=a.b.c&state=STATE', ''],
    ] as const) {
      const url = new URL(await authorizationRequest(options('code'), purpose, 'nonce-1', ORIGIN));
      const state = url.searchParams.get('state')!;
      const callback = readCallback(search.replace('STATE', state), hash.replace('STATE', state));
      expect(callback).toMatchObject({ ok: false, message: expect.stringContaining('hoort niet bij') });
    }
  });

  it('implicit flow: takes the ID token from the fragment when its nonce is the one sent', async () => {
    const url = new URL(await authorizationRequest(options('id_token'), purpose, 'nonce-2', ORIGIN));
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'id_token',
      response_mode: 'fragment',
    });
    expect(url.searchParams.has('code_challenge')).toBe(false);
    const state = url.searchParams.get('state')!;
    const idToken = unsignedToken({ nonce: 'nonce-2' });
    expect(readCallback('', `#id_token=${idToken}&state=${state}`)).toEqual({
      ok: true,
      purpose,
      proof: { idToken },
    });
    const other = new URL(await authorizationRequest(options(null), purpose, 'nonce-3', ORIGIN));
    expect(
      readCallback(
        '',
        `#id_token=${unsignedToken({ nonce: 'nonce-x' })}&state=${other.searchParams.get('state')}`,
      ),
    ).toMatchObject({ ok: false, message: expect.stringContaining('ID-token hoort niet') });
  });

  it("says when the person cancelled at the provider (the provider's error in the query string)", async () => {
    const url = new URL(await authorizationRequest(options('code'), purpose, 'nonce-1', ORIGIN));
    expect(readCallback(`?error=access_denied&state=${url.searchParams.get('state')}`, '')).toMatchObject({
      ok: false,
      message: expect.stringContaining('geannuleerd'),
    });
  });
});
