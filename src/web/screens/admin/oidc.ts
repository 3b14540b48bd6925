import { api } from '../../api/client';

/**
 * The browser half of signing in with the municipality's OIDC provider (e.g. ACM/IDM): the
 * implicit ID-token flow (`response_type=id_token`, `response_mode=fragment`) with a random
 * `state` (against forged callbacks) and a `nonce` the server issued (POST /auth/oidc/nonce,
 * single use: a replayed ID token is refused). The server checks the token's signature, issuer,
 * audience, expiry and nonce (POST /auth/oidc/login or /invites/accept); the browser checks that
 * state and nonce are the ones it sent.
 */

export interface OidcOptions {
  issuer: string;
  audience: string;
  authorizationUrl: string | null;
  clientId: string | null;
}

/** What to do when the provider sends the person back. */
export type OidcPurpose =
  | { kind: 'sign-in'; tenant: string; from?: string }
  | { kind: 'accept-invite'; tenant: string; token: string; name: string };

interface Pending {
  state: string;
  nonce: string;
  purpose: OidcPurpose;
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

function random(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** Sends the browser to the provider with a nonce the server issued for this sign-in. */
export async function goToProvider(
  options: OidcOptions & { authorizationUrl: string; clientId: string },
  purpose: OidcPurpose,
): Promise<void> {
  const { body } = await api<{ nonce: string }>('/auth/oidc/nonce', { method: 'POST', anonymous: true });
  window.location.assign(authorizationRequest(options, purpose, body.nonce));
}

/** The URL at the provider; remembers state, nonce and purpose in this tab for the way back. */
export function authorizationRequest(
  options: OidcOptions & { authorizationUrl: string; clientId: string },
  purpose: OidcPurpose,
  nonce: string,
  origin: string = window.location.origin,
): string {
  const pending: Pending = { state: random(), nonce, purpose };
  sessionStorage.setItem(KEY, JSON.stringify(pending));
  const url = new URL(options.authorizationUrl);
  url.searchParams.set('response_type', 'id_token');
  url.searchParams.set('response_mode', 'fragment');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', origin + OIDC_CALLBACK_PATH);
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  return url.toString();
}

export type OidcCallback =
  | { ok: true; idToken: string; purpose: OidcPurpose }
  | { ok: false; message: string; purpose: OidcPurpose | null };

/** Reads the provider's answer from the URL fragment (once: the pending request is forgotten). */
export function readCallback(hash: string): OidcCallback {
  const raw = sessionStorage.getItem(KEY);
  sessionStorage.removeItem(KEY);
  let pending: Pending | null;
  try {
    pending = raw ? (JSON.parse(raw) as Pending) : null;
  } catch {
    pending = null;
  }
  const params = new URLSearchParams(hash.replace(/^#/, ''));
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
  const idToken = params.get('id_token');
  if (!idToken || params.get('state') !== pending.state) {
    return {
      ok: false,
      purpose: pending.purpose,
      message: 'Het antwoord van de identiteitsprovider hoort niet bij deze aanmelding. Probeer het opnieuw.',
    };
  }
  if (nonceOf(idToken) !== pending.nonce) {
    return {
      ok: false,
      purpose: pending.purpose,
      message: 'Het ID-token hoort niet bij deze aanmelding. Probeer het opnieuw.',
    };
  }
  return { ok: true, idToken, purpose: pending.purpose };
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
