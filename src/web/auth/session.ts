/**
 * The signed-in person's tokens, kept for this browser tab only (sessionStorage: closing the tab
 * signs out; no token survives in localStorage). The access token is short-lived; the refresh
 * token rotates on every use, so a copied refresh token works at most once.
 */
export interface Tokens {
  accessToken: string;
  refreshToken: string;
  tenant: string;
}

export interface Actor {
  id: string;
  tenantId: string;
  /** The municipality's name (GET /me); null for a tenant never created, absent in old sessions. */
  tenantName?: string | null;
  roles: string[];
  organisationId?: string | null;
  policyDomains?: string[];
}

const KEY = 'lokaal-signaal.session';
type Listener = () => void;

class Session {
  private tokens: Tokens | null = read();
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<Listener>();

  accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  tenant(): string | null {
    return this.tokens?.tenant ?? null;
  }

  isSignedIn(): boolean {
    return this.tokens !== null;
  }

  start(tokens: Tokens): void {
    this.tokens = tokens;
    sessionStorage.setItem(KEY, JSON.stringify(tokens));
    this.emit();
  }

  /** Ends the session here and revokes the refresh token's family on the server. */
  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    this.clear();
    if (refreshToken) {
      await fetch('/auth/logout', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      }).catch(() => undefined);
    }
  }

  /** The server refused the token even after a refresh: back to the sign-in page. */
  expired(): void {
    this.clear();
  }

  /** One refresh at a time, however many requests found the token expired. */
  refresh(): Promise<boolean> {
    if (!this.tokens) return Promise.resolve(false);
    this.refreshing ??= this.exchange().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async exchange(): Promise<boolean> {
    const current = this.tokens;
    if (!current) return false;
    const response = await fetch('/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ refreshToken: current.refreshToken }),
    }).catch(() => null);
    if (!response?.ok) {
      this.clear();
      return false;
    }
    const pair = (await response.json()) as { accessToken: string; refreshToken: string };
    this.start({ accessToken: pair.accessToken, refreshToken: pair.refreshToken, tenant: current.tenant });
    return true;
  }

  private clear(): void {
    this.tokens = null;
    sessionStorage.removeItem(KEY);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function read(): Tokens | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

export const session = new Session();
