/** Injection token of `AppConfig['auth']`, so the verifier depends on its section only. */
export const AUTH_CONFIG = Symbol('AUTH_CONFIG');

export const IS_PUBLIC_KEY = 'lokaal-signaal:public';
export const ROLES_KEY = 'lokaal-signaal:roles';
/** The OpenAPI extensions by which `@Public()` and `@Roles()` reach the document (openapi.ts). */
export const PUBLIC_EXTENSION = 'x-public';
export const ROLES_EXTENSION = 'x-roles';

/** Optional `TokenVerifierOptions` (clock, size of the cache of verified tokens). */
export const TOKEN_VERIFIER_OPTIONS = Symbol('TOKEN_VERIFIER_OPTIONS');
