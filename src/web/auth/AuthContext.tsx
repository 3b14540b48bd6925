import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { session, type Actor } from './session';
import type { OidcProof } from '../screens/admin/oidc';
import type { TokenPair } from '../../people/people-answers';

interface AuthState {
  /** `undefined` while the session is being checked; `null` when signed out. */
  actor: Actor | null | undefined;
  signIn(tenant: string, email: string, password: string): Promise<void>;
  /** Signs in with an ID token of the configured OIDC provider (POST /auth/oidc/login). */
  signInWithOidc(tenant: string, proof: OidcProof): Promise<void>;
  /** Starts the session the server already issued (an invite accepted through the provider). */
  adoptSession(tenant: string, pair: TokenPair): Promise<void>;
  signOut(): Promise<void>;
  hasRole(...roles: string[]): boolean;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [actor, setActor] = useState<Actor | null | undefined>(session.isSignedIn() ? undefined : null);

  const load = useCallback(async () => {
    if (!session.isSignedIn()) return setActor(null);
    try {
      setActor((await api<Actor>('/me')).body);
    } catch {
      setActor(null);
    }
  }, []);

  useEffect(() => {
    void load();
    return session.subscribe(() => {
      if (!session.isSignedIn()) setActor(null);
    });
  }, [load]);

  const signIn = useCallback(
    async (tenant: string, email: string, password: string) => {
      const { body } = await api<TokenPair>('/auth/login', {
        body: { tenant, email, password },
        anonymous: true,
      });
      session.start({ accessToken: body.accessToken, refreshToken: body.refreshToken, tenant });
      localStorage.setItem('lokaal-signaal.tenant', tenant);
      await load();
    },
    [load],
  );

  const adoptSession = useCallback(
    async (tenant: string, pair: TokenPair) => {
      session.start({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, tenant });
      localStorage.setItem('lokaal-signaal.tenant', tenant);
      await load();
    },
    [load],
  );

  const signInWithOidc = useCallback(
    async (tenant: string, proof: OidcProof) => {
      const { body } = await api<TokenPair>('/auth/oidc/login', {
        body: { tenant, ...proof },
        anonymous: true,
      });
      session.start({ accessToken: body.accessToken, refreshToken: body.refreshToken, tenant });
      localStorage.setItem('lokaal-signaal.tenant', tenant);
      await load();
    },
    [load],
  );

  const signOut = useCallback(async () => {
    await session.signOut();
    setActor(null);
  }, []);

  const hasRole = useCallback(
    (...roles: string[]) => !!actor && actor.roles.some((role) => roles.includes(role)),
    [actor],
  );

  return (
    <AuthContext.Provider value={{ actor, signIn, signInWithOidc, adoptSession, signOut, hasRole }}>
      {children}
    </AuthContext.Provider>
  );
}

export function useAuth(): AuthState {
  const state = useContext(AuthContext);
  if (!state) throw new Error('useAuth outside AuthProvider');
  return state;
}

/** The signed-in actor; only for screens behind `RequireRole`. */
export function useActor(): Actor {
  const { actor } = useAuth();
  if (!actor) throw new Error('useActor without a signed-in actor');
  return actor;
}
