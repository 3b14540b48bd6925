/**
 * The server half of the authorization code flow with PKCE (RFC 6749 §4.1, RFC 7636): the browser
 * brings back the provider's code with the verifier it made, and this server trades them at the
 * provider's token endpoint for the ID token. The code never buys anything without the verifier,
 * and the ID token travels only between the provider and this server.
 */

/** What the browser brings back from the provider. */
export interface CodeProof {
  code: string;
  codeVerifier: string;
  /** The redirect_uri of the authorization request: the provider checks they are the same. */
  redirectUri: string;
}

export interface CodeExchangeConfig {
  tokenUrl: string;
  clientId: string;
  /** client_secret_basic when set; else a public client that names itself (client_id). */
  clientSecret: string | null;
}

export type CodeExchangeOutcome =
  | { kind: 'id-token'; idToken: string }
  /** The provider refused the grant (used, expired, another verifier or redirect): sign in again. */
  | { kind: 'refused'; error: string }
  /** No answer, or one that is no token response: the provider (or the way to it) is at fault. */
  | { kind: 'unavailable'; reason: string };

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** RFC 7636 §4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
export const CODE_VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

/** The form-urlencoding RFC 6749 §2.3.1 asks for the client id and secret in a Basic header. */
function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+');
}

export async function exchangeCode(
  config: CodeExchangeConfig,
  proof: CodeProof,
  options: { fetch?: FetchLike; timeoutMs?: number } = {},
): Promise<CodeExchangeOutcome> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: proof.code,
    redirect_uri: proof.redirectUri,
    code_verifier: proof.codeVerifier,
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (config.clientSecret === null) form.set('client_id', config.clientId);
  else {
    const credentials = `${formEncode(config.clientId)}:${formEncode(config.clientSecret)}`;
    headers['authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
  }
  let response: Response;
  let body: unknown;
  try {
    response = await (options.fetch ?? fetch)(config.tokenUrl, {
      method: 'POST',
      headers,
      body: form.toString(),
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    body = await response.json().catch(() => null);
  } catch (error) {
    return { kind: 'unavailable', reason: (error as Error).message };
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  // RFC 6749 §5.2: a refused grant is a 400 (401 for client authentication) with an error code.
  if ((response.status === 400 || response.status === 401) && typeof fields['error'] === 'string') {
    return { kind: 'refused', error: fields['error'].slice(0, 100) };
  }
  if (!response.ok) return { kind: 'unavailable', reason: `token endpoint answered ${response.status}` };
  const idToken = fields['id_token'];
  if (typeof idToken !== 'string' || idToken.length === 0) {
    return { kind: 'unavailable', reason: 'the token response holds no id_token' };
  }
  return { kind: 'id-token', idToken };
}
