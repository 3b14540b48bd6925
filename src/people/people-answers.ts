/**
 * What the invitation, sign-in and people endpoints answer: the API's contract, declared once.
 * The people service builds these types and the web's sign-in, invitation and people screens
 * read them. Types only, with no imports, so that the web's compiler reads nothing else of the
 * server.
 */

/** A signed-in session: a short-lived access token and the refresh token that renews it. */
export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

/** POST /invites: the invitation, with the one-time token to hand to the invitee. */
export interface InviteIssued {
  inviteId: string;
  token: string;
  email: string;
  organisationId: string | null;
  roles: string[];
  policyDomains: string[];
  expiresAt: string;
  position: string;
}

/** POST /invites/accept: the new account; signed in at once when accepted through the provider. */
export interface InviteAccepted {
  personId: string;
  tenant: string;
  /** The address to sign in with. */
  email: string;
  roles: string[];
  organisationId: string | null;
  position: string;
  session?: TokenPair;
}

/** GET /auth/options: what the sign-in page offers. */
export interface SignInOptions {
  oidc: {
    issuer: string;
    audience: string;
    /** Where the browser sends the person; null: no sign-in button. */
    authorizationUrl: string | null;
    clientId: string | null;
    /** 'code': authorization code with PKCE, traded by this server; 'id_token': the implicit flow. */
    flow: 'code' | 'id_token' | null;
  } | null;
  /** The embedded demo setup's accounts (their password is public by design); null elsewhere. */
  demoAccounts: Array<{ tenant: string; email: string; roles: string[]; password: string }> | null;
}

/** POST /auth/oidc/nonce: a single-use nonce the provider's ID token must carry back. */
export interface OidcNonce {
  nonce: string;
  /** Seconds. */
  expiresIn: number;
}

/** A person of the tenant as the tenant admin lists them (GET /people). */
export interface PersonListItem {
  personId: string;
  /** "[gewist]" once erased. */
  name: string;
  email: string | null;
  erased: boolean;
  organisationId: string | null;
  roles: string[];
  policyDomains: string[];
  /** Whether the person signs in through the OIDC provider. */
  oidcLinked: boolean;
}

/** Someone a signal or dossier can be assigned to (GET /people/assignees): no e-mail. */
export interface Assignee {
  personId: string;
  name: string;
  roles: string[];
  policyDomains: string[];
  organisationId: string | null;
}

/** POST /people/{id}/roles. */
export interface RolesChanged {
  personId: string;
  roles: string[];
  refreshTokensRevoked: number;
  position: string;
}

/** POST /people/{id}/erase. */
export interface PersonErased {
  personId: string;
  erased: true;
  erasedAt: string;
  position: string;
}
