import { api } from '../../api/client';
import type { OidcNonce, SignInOptions } from '../../../people/people-answers';

/**
 * The browser half of signing in with the municipality's OIDC provider (e.g. ACM/IDM), with a
 * random `state` (against forged callbacks) and a `nonce` the server issued (POST
 * /auth/oidc/nonce, single use: a replayed ID token is refused), in one of two flows:
 * - `code` (the installation set OIDC_TOKEN_URL): the authorization code flow with PKCE. The
 *   provider sends back a code in the query string; the browser hands it to the server with the
 *   verifier only this tab knows, and the server trades both for the ID token. No token ever
 *   passes through the address bar.
 * - `id_token`: the implicit ID-token flow (`response_mode=fragment`); the browser checks the
 *   token's nonce and hands the token to the server.
 * The server checks the ID token's signature, issuer, audience, expiry and nonce (POST
 * /auth/oidc/login or /invites/accept).
 */

/** The provider as GET /auth/options names it. */
export type OidcOptions = NonNullable<SignInOptions['oidc']>;

/** What to do when the provider sends the person back. */
export type OidcPurpose =
  | { kind: 'sign-in'; tenant: string; from?: string }
  | { kind: 'accept-invite'; tenant: string; token: string; name: string };

interface Pending {
  state: string;
  nonce: string;
  purpose: OidcPurpose;
  /** The PKCE verifier of a code flow (its S256 challenge went to the provider). */
  verifier?: string;
  redirectUri?: string;
}

const KEY = 'lokaal-signaal.oidc';
export const OIDC_CALLBACK_PATH = '/aanmelden/oidc';

/** True when the installation offers the browser flow (OIDC_AUTHORIZATION_URL is set). */
export function browserFlowOf(
  options: OidcOptions | null | undefined,
): (OidcOptions & { authorizationUrl: string; clientId: string }) | null {
  return options && options.authorizationUrl && options.clientId
    ? (options as OidcOptions & { authorizationUrl: string; clientId: string })
    : null;
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

function random(length = 24): string {
  return base64url(crypto.getRandomValues(new Uint8Array(length)));
}

/** RFC 7636 S256: base64url of the SHA-256 of the verifier. */
async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** Sends the browser to the provider with a nonce the server issued for this sign-in. */
export async function goToProvider(
  options: OidcOptions & { authorizationUrl: string; clientId: string },
  purpose: OidcPurpose,
): Promise<void> {
  const { body } = await api<OidcNonce>('/auth/oidc/nonce', { method: 'POST', anonymous: true });
  window.location.assign(await authorizationRequest(options, purpose, body.nonce));
}

/** The URL at the provider; remembers state, nonce and purpose in this tab for the way back. */
export async function authorizationRequest(
  options: OidcOptions & { authorizationUrl: string; clientId: string },
  purpose: OidcPurpose,
  nonce: string,
  origin: string = window.location.origin,
): Promise<string> {
  const redirectUri = origin + OIDC_CALLBACK_PATH;
  const code = options.flow === 'code';
  // 32 random bytes: a verifier of 43 characters, the least RFC 7636 allows.
  const pending: Pending = {
    state: random(),
    nonce,
    purpose,
    ...(code ? { verifier: random(32), redirectUri } : {}),
  };
  const url = new URL(options.authorizationUrl);
  if (pending.verifier !== undefined) {
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('code_challenge', await challengeOf(pending.verifier));
    url.searchParams.set('code_challenge_method', 'S256');
  } else {
    url.searchParams.set('response_type', 'id_token');
    url.searchParams.set('response_mode', 'fragment');
  }
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  sessionStorage.setItem(KEY, JSON.stringify(pending));
  return url.toString();
}

/** What the server takes as proof of the sign-in at the provider. */
export type OidcProof = { idToken: string } | { code: string; codeVerifier: string; redirectUri: string };

export type OidcCallback =
  | { ok: true; proof: OidcProof; purpose: OidcPurpose }
  | { ok: false; message: string; purpose: OidcPurpose | null };

/**
 * Reads the provider's answer: from the query string (code flow) or the fragment (implicit flow),
 * once (the pending request is forgotten).
 */
export function readCallback(search: string, hash: string): OidcCallback {
  const raw = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  let pending: Pending | null;
  try {
    pending = raw ? (JSON.parse(raw) as Pending) : null;
  } catch {
    pending = null;
  }
  const query = new URLSearchParams(search.replace(/^\?/, ''));
  const fragment = new URLSearchParams(hash.replace(/^#/, ''));
  // The code flow answers in the query string, the implicit one in the fragment.
  const params = query.has('state') || query.has('error') ? query : fragment;
  if (!pending) {
    return {
      ok: false,
      purpose: null,
      message: 'Deze aanmelding werd niet vanuit dit tabblad gestart. Begin opnieuw bij de aanmeldpagina.',
    };
  }
  if (params.get('error')) {
    return {
      ok: false,
      purpose: pending.purpose,
      message:
        params.get('error') === 'access_denied'
          ? 'Je hebt de aanmelding bij de identiteitsprovider geannuleerd.'
          : 'De identiteitsprovider kon je niet aanmelden. Probeer het opnieuw.',
    };
  }
  const forged = {
    ok: false as const,
    purpose: pending.purpose,
    message: 'Het antwoord van de identiteitsprovider hoort niet bij deze aanmelding. Probeer het opnieuw.',
  };
  if (params.get('state') !== pending.state) return forged;
  if (pending.verifier !== undefined) {
    const code = params.get('code');
    if (!code || params === fragment) return forged;
    return {
      ok: true,
      purpose: pending.purpose,
      proof: { code, codeVerifier: pending.verifier, redirectUri: pending.redirectUri ?? '' },
    };
  }
  const idToken = params.get('id_token');
  if (!idToken || params !== fragment) return forged;
  if (nonceOf(idToken) !== pending.nonce) {
    return {
      ok: false,
      purpose: pending.purpose,
      message: 'Het ID-token hoort niet bij deze aanmelding. Probeer het opnieuw.',
    };
  }
  return { ok: true, proof: { idToken }, purpose: pending.purpose };
}

/** The `nonce` claim, read without checking the signature (the server checks that). */
function nonceOf(idToken: string): string | null {
  const payload = idToken.split('.')[1];
  if (!payload) return null;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(json) as { nonce?: unknown };
    return typeof claims.nonce === 'string' ? claims.nonce : null;
  } catch {
    return null;
  }
}
