import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { TestApp } from './test-app.js';

/** An OIDC identity provider for tests: a key pair and its JWKS served on 127.0.0.1. */
export interface LocalIdp {
  issuer: string;
  audience: string;
  jwksUrl: string;
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
  const server: Server = createServer((request, response) => {
    if (request.url === '/jwks') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys: [publicJwk] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const issuer = 'https://idp.test.vlaanderen.example';
  const audience = 'lokaal-signaal-client';
  return {
    issuer,
    audience,
    jwksUrl: `http://127.0.0.1:${port}/jwks`,
    publicJwk,
    idToken: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key-1' })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A nonce issued by the app under test (`POST /auth/oidc/nonce`), as the web app gets one before sending the browser to the provider. */
export async function serverNonce(http: TestApp['http']): Promise<string> {
  const response = await http.post('/auth/oidc/nonce').expect(201);
  return (response.body as { nonce: string }).nonce;
}
