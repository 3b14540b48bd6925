export type AuthenticationErrorCode = 'UNAUTHENTICATED' | 'TOKEN_EXPIRED' | 'TOKEN_INVALID' | 'TOKEN_REVOKED';

const MESSAGES: Record<AuthenticationErrorCode, string> = {
  UNAUTHENTICATED: 'Je bent niet aangemeld. Meld je aan om verder te gaan.',
  TOKEN_EXPIRED: 'Je aanmelding is verlopen. Meld je opnieuw aan.',
  TOKEN_INVALID: 'Je aanmelding is ongeldig. Meld je opnieuw aan.',
  TOKEN_REVOKED: 'Je rollen zijn gewijzigd of je account werd gewist. Meld je opnieuw aan.',
};

/**
 * A request whose bearer token cannot be trusted. `message` is shown to the person; `reason`
 * is for tests and operators and never leaves the server (it would help an attacker probe).
 */
export class AuthenticationError extends Error {
  constructor(
    readonly code: AuthenticationErrorCode,
    readonly reason: string,
  ) {
    super(MESSAGES[code]);
    this.name = 'AuthenticationError';
  }
}

/** The identity provider's key set could not be fetched: not the caller's fault, so no 401. */
export class AuthProviderUnavailableError extends Error {
  readonly code = 'AUTH_PROVIDER_UNAVAILABLE';

  constructor(readonly reason: string) {
    super('De aanmeldingsdienst is tijdelijk niet bereikbaar. Probeer het later opnieuw.');
    this.name = 'AuthProviderUnavailableError';
  }
}
