import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { TestApp } from './test-app.js';

/** What an authorization request asked for, remembered with the code the provider hands out. */
export interface CodeGrant {
  claims: Record<string, unknown>;
  clientId: string;
  redirectUri: string;
  /** S256 code challenge of the request (PKCE). */
  codeChallenge: string;
}

/**
 * An OIDC identity provider for tests: a key pair and its JWKS served on 127.0.0.1, and a token
 * endpoint that trades a code it handed out (`issueCode`) once, for the same client, redirect URI
 * and PKCE verifier, authenticated with `clientSecret` (client_secret_basic).
 */
export interface LocalIdp {
  issuer: string;
  audience: string;
  jwksUrl: string;
  /**
   * The provider's authorization endpoint, under its issuer: nothing listens there, a browser
   * test answers it by routing the page's request (`context.route`).
   */
  authorizationUrl: string;
  tokenUrl: string;
  clientSecret: string;
  /** The app's variables for this provider: OIDC_ISSUER, OIDC_JWKS_URL and OIDC_AUDIENCE. */
  env: Record<'OIDC_ISSUER' | 'OIDC_JWKS_URL' | 'OIDC_AUDIENCE', string>;
  /** Token requests received, as form fields (the Basic header's client id as `basic_client_id`). */
  tokenRequests: Array<Record<string, string>>;
  issueCode(grant: CodeGrant): string;
  publicJwk: JWK;
  idToken(
    claims: Record<string, unknown>,
    options?: { audience?: string; issuer?: string; expiresIn?: string | number },
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalIdp(): Promise<LocalIdp> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
  const issuer = 'https://idp.test.vlaanderen.example';
  const audience = 'lokaal-signaal-client';
  const clientSecret = 'idp-test-secret';
  const codes = new Map<string, CodeGrant>();
  const tokenRequests: Array<Record<string, string>> = [];
  const idToken: LocalIdp['idToken'] = (claims, options = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
      .setIssuer(options.issuer ?? issuer)
      .setAudience(options.audience ?? audience)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(privateKey);
  const token = async (request: IncomingMessage): Promise<[number, Record<string, unknown>]> => {
    let text = '';
    for await (const chunk of request) text += String(chunk);
    const form = Object.fromEntries(new URLSearchParams(text));
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
    const [basicId, basicSecret] = basic
      ? Buffer.from(basic[1]!, 'base64').toString().split(':').map(decodeURIComponent)
      : [];
    tokenRequests.push({ ...form, ...(basicId === undefined ? {} : { basic_client_id: basicId }) });
    if (basicSecret !== clientSecret) return [401, { error: 'invalid_client' }];
    if (form['grant_type'] !== 'authorization_code') return [400, { error: 'unsupported_grant_type' }];
    const grant = codes.get(form['code'] ?? '');
    codes.delete(form['code'] ?? '');
    const challenge = createHash('sha256')
      .update(form['code_verifier'] ?? '')
      .digest('base64url');
    if (
      !grant ||
      grant.clientId !== basicId ||
      grant.redirectUri !== form['redirect_uri'] ||
      grant.codeChallenge !== challenge
    ) {
      return [400, { error: 'invalid_grant' }];
    }
    return [
      200,
      {
        token_type: 'Bearer',
        access_token: 'not-used',
        expires_in: 300,
        id_token: await idToken(grant.claims),
      },
    ];
  };
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    if (request.url === '/token' && request.method === 'POST') {
      void token(request).then(([status, body]) => {
        response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(body));
      });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    issuer,
    audience,
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    authorizationUrl: `${issuer}/authorize`,
    tokenUrl: `http://127.0.0.1:${port}/token`,
    clientSecret,
    env: { OIDC_ISSUER: issuer, OIDC_JWKS_URL: `http://127.0.0.1:${port}/jwks`, OIDC_AUDIENCE: audience },
    tokenRequests,
    issueCode: (grant) => {
      const code = randomBytes(18).toString('base64url');
      codes.set(code, grant);
      return code;
    },
    publicJwk,
    idToken,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A PKCE verifier and its S256 challenge, as a browser makes them. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** A nonce issued by the app under test (`POST /auth/oidc/nonce`), as the web app gets one before sending the browser to the provider. */
export async function serverNonce(http: TestApp['http']): Promise<string> {
  const response = await http.post('/auth/oidc/nonce').expect(201);
  return (response.body as { nonce: string }).nonce;
}

/** A port on 127.0.0.1 where nothing listens: an identity provider out of reach. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
